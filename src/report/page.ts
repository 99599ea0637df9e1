/**
 * The report as one HTML document: inline CSS and SVG, no script, nothing
 * loaded from anywhere (the Content-Security-Policy says so to the browser).
 * A pure function of the report data; every data string is escaped.
 */
import { POOLED, type AgreementRow } from '../agreement/compare.js';
import type { Excerpt } from '../output/table.js';
import { ROLES, type Role } from '../transcript/model.js';
import { rateBars, type RateGroup } from './bars.js';
import { addTallies } from './collect.js';
import { highlightHtml } from './excerpts.js';
import { forestPlot } from './forest.js';
import { heatmap, scaleTop } from './heatmap.js';
import type { DisagreementExcerpt, ReportData, Tally, Timeline } from './model.js';
import { STYLE } from './style.js';
import { esc, int, num, per1000, ROLE_LABEL } from './svg.js';
import { lanesOf, timelineChart } from './timeline.js';
import { isCoded } from './model.js';

/** The heatmap and the per-transcript tables show at most this many transcripts. */
export const HEATMAP_CAP = 300;

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function renderReport(data: ReportData): string {
  const title = `${data.codebook.name}: relcode report`;
  const sections = [rates(data), heat(data), timelines(data), excerpts(data), ...(data.agreement ? [agreement(data)] : [])];
  const nav = [
    ['rates', 'Rates by role'],
    ['heatmap', 'Heatmap'],
    ['timelines', 'Timelines'],
    ['excerpts', 'Excerpts'],
    ...(data.agreement ? [['agreement', 'Agreement']] : []),
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="${esc(`${data.tool.name} ${data.tool.version}`)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    header(data, title),
    `<nav aria-label="Sections"><ul>${nav.map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`).join('')}</ul></nav>`,
    ...sections,
    `<footer><p>Made by ${esc(data.tool.name)} ${esc(data.tool.version)} on ${esc(data.date)} from ${int(data.files)} file${data.files === 1 ? '' : 's'}. ` +
      'This file is self-contained: it loads nothing from the network and runs no script.</p></footer>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- header

function corpus(data: ReportData): { all: Tally; byRole: Record<Role, Tally> } {
  const n = data.dimensions.length;
  const all = addTallies(data.transcripts.map((t) => t.all), n);
  const byRole = Object.fromEntries(ROLES.map((r) => [r, addTallies(data.transcripts.map((t) => t.byRole[r]), n)])) as Record<Role, Tally>;
  return { all, byRole };
}

function header(data: ReportData, title: string): string {
  const { all, byRole } = corpus(data);
  const facts: [string, string][] = [
    ['Codebook', `${data.codebook.name}, version ${data.codebook.version || 'not given'}`],
    ['Report date', data.date],
    ['Transcripts', int(data.transcripts.length)],
    ['Turns', `${int(all.turns)} (therapist ${int(byRole.therapist.turns)}, client ${int(byRole.client.turns)}${byRole.other.turns ? `, other ${int(byRole.other.turns)}` : ''})`],
    ['Words', `${int(all.words)} (therapist ${int(byRole.therapist.words)}, client ${int(byRole.client.words)}${byRole.other.words ? `, other ${int(byRole.other.words)}` : ''})`],
    ...(data.agreement ? [['Human coding', data.agreement.human] as [string, string]] : []),
  ];
  const notes = [
    '<p class="warning">This report quotes transcripts: treat it as clinical data.' +
      (data.redacted
        ? ' Excerpts and speaker labels are redacted: personal identifiers found in them are replaced with placeholders such as [NAME], [DATE] or [PHONE]. Automatic redaction can miss an identifier; read the excerpts before you share this file.'
        : ' Excerpts are not redacted (<code>--redact</code> replaces personal identifiers with placeholders such as [NAME]).') +
      '</p>',
  ];
  return [
    '<header>',
    `<h1>${esc(title)}</h1>`,
    `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`,
    ...notes,
    '</header>',
  ].join('\n');
}

// ---------------------------------------------------------------- rates

function rates(data: ReportData): string {
  const { byRole } = corpus(data);
  const roles: Role[] = ['therapist', 'client'];
  const groups: RateGroup[] = data.dimensions.map((d, i) => ({
    label: d.label,
    values: ROLES.map((role) => ({ role, rate: per1000(byRole[role].matches[i]!, byRole[role].words), matches: byRole[role].matches[i]!, words: byRole[role].words })),
  }));
  const tableRoles = byRole.other.words > 0 ? [...ROLES] : roles;
  const corpusTable = table(
    `Matches per 1,000 words of each role over all ${int(data.transcripts.length)} transcripts (therapist ${int(byRole.therapist.words)} words, client ${int(byRole.client.words)} words${byRole.other.words ? `, other ${int(byRole.other.words)} words` : ''}).`,
    [['Dimension', ...tableRoles.flatMap((r) => [`${ROLE_LABEL[r]}: coded turns`, 'matches', 'per 1,000 words'])]],
    groups.map((g, i) => [
      g.label,
      ...tableRoles.flatMap((r) => [`${int(byRole[r].coded[i]!)} / ${int(byRole[r].turns)}`, int(byRole[r].matches[i]!), num(g.values.find((v) => v.role === r)!.rate)]),
    ]),
  );
  const shown = data.transcripts.slice(0, HEATMAP_CAP);
  const perTranscript = table(
    `Matches per 1,000 words by transcript and role (T therapist, C client).${capNote(shown.length, data.transcripts.length)}`,
    [
      ['Transcript', 'Words T', 'Words C', ...data.dimensions.flatMap((d) => [`${d.label} T`, `${d.label} C`])],
    ],
    shown.map((t) => [
      t.id,
      int(t.byRole.therapist.words),
      int(t.byRole.client.words),
      ...data.dimensions.flatMap((_, i) => roles.map((r) => num(per1000(t.byRole[r].matches[i]!, t.byRole[r].words)))),
    ]),
  );
  return section('rates', 'Rates by role', [
    '<p>How often each dimension is voiced: matches per 1,000 words spoken, by therapists and by clients, over the whole corpus. ' +
      'Rates, not counts, so that long sessions and talkative speakers do not dominate.</p>',
    figure(rateBars(groups, roles, 'chart-rates', 'Matches per 1,000 words by dimension and role, all transcripts'),
      'Therapist (blue) and client (orange) rates per dimension. Hover a bar for its counts.'),
    details('Data table: all transcripts', corpusTable),
    details('Data table: each transcript', perTranscript),
  ]);
}

// ---------------------------------------------------------------- heatmap

function heat(data: ReportData): string {
  const shown = data.transcripts.slice(0, HEATMAP_CAP);
  const rows = shown.map((t) => ({
    label: t.id,
    cells: data.dimensions.map((_, i) => ({ rate: per1000(t.all.matches[i]!, t.all.words), matches: t.all.matches[i]!, words: t.all.words })),
  }));
  const body = table(
    `Matches per 1,000 words, all speakers.${capNote(shown.length, data.transcripts.length)}`,
    [['Transcript', 'Turns', 'Words', ...data.dimensions.map((d) => d.label)]],
    rows.map((r, k) => [r.label, int(shown[k]!.all.turns), int(shown[k]!.all.words), ...r.cells.map((c) => num(c.rate))]),
  );
  return section('heatmap', 'Transcripts × dimensions', [
    '<p>Each cell is a transcript’s rate for a dimension, all speakers together: darker is more frequent, grey is none, white is a transcript without words. ' +
      `${scaleNote(rows.flatMap((r) => r.cells.map((c) => c.rate ?? 0)))}${capNote(shown.length, data.transcripts.length)}</p>`,
    figure(heatmap(rows, data.dimensions.map((d) => d.label), 'chart-heatmap', 'Matches per 1,000 words by transcript and dimension'), 'Hover a cell for its counts.'),
    details('Data table', body),
  ]);
}

// ---------------------------------------------------------------- timelines

function timelines(data: ReportData): string {
  const labels = data.dimensions.map((d) => d.label);
  const total = data.timelines.length + data.timelinesOmitted;
  const figures = data.timelines.map((t, k) => {
    const words = data.transcripts.find((s) => s.id === t.id);
    const caption = `Transcript ${t.id}: ${int(t.roles.length)} turns${words ? `, ${int(words.all.words)} words` : ''}`;
    return [
      `<figure class="timeline">`,
      `<figcaption><h3>${esc(caption)}</h3></figcaption>`,
      timelineChart(t, labels, `chart-timeline-${k}`),
      details('Data table: the turns coded', timelineTable(t, labels)),
      '</figure>',
    ].join('\n');
  });
  const intro =
    '<p>Each session from its first turn (left) to its last (right). Every dimension has a lane for therapist turns (T, blue) and one for client turns (C, orange); ' +
    'a mark is a turn coded for the dimension, so one sees where empathy or collaboration gathers and where it thins out.' +
    (data.timelinesOmitted ? ` Only the first ${int(data.timelines.length)} of ${int(total)} transcripts are shown.` : '') +
    '</p>';
  return section('timelines', 'Session timelines', [intro, ...(figures.length ? figures : ['<p>No transcripts.</p>'])]);
}

function timelineTable(t: Timeline, labels: string[]): string {
  const lanes = lanesOf(t);
  const rows = labels.map((label, d) => [
    label,
    ...lanes.map((r) => {
      const turns: number[] = [];
      for (let i = 0; i < t.roles.length; i++) if (ROLES[t.roles[i]!] === r && isCoded(t, i, d)) turns.push(t.turnNumbers[i]!);
      return turns.length ? `${turns.length}: ${turns.join(', ')}` : '0';
    }),
  ]);
  return table(`Turns coded per dimension and role in ${t.id} (count: turn numbers).`, [['Dimension', ...lanes.map((r) => `${ROLE_LABEL[r]} turns`)]], rows, 'list');
}

// ---------------------------------------------------------------- excerpts

function excerpts(data: ReportData): string {
  const parts = data.dimensions.map((d) => {
    const list = data.excerpts[d.id] ?? [];
    return [
      `<article class="dimension">`,
      `<h3>${esc(d.label)}</h3>`,
      d.definition ? `<p class="definition">${esc(d.definition)}</p>` : '',
      list.length ? `<ol class="excerpts">${list.map((e) => `<li>${quote(e)}</li>`).join('')}</ol>` : '<p class="muted">No coded turns.</p>',
      '</article>',
    ].join('\n');
  });
  return section('excerpts', 'Top excerpts', [
    '<p>The turns with the most matches for each dimension, matched words <mark>highlighted</mark>. Long turns are cut around their matches (…).</p>',
    ...parts,
  ]);
}

function quote(e: Excerpt, extra = ''): string {
  return [
    `<p class="who">transcript ${esc(e.transcript)} · turn ${e.turn} · ${esc(e.speaker)}${e.speaker.toLowerCase() === e.role ? '' : ` (${e.role})`}${extra}</p>`,
    `<blockquote class="${e.role}">${highlightHtml(e.text, e.spans)}</blockquote>`,
  ].join('');
}

// ---------------------------------------------------------------- agreement

function agreement(data: ReportData): string {
  const a = data.agreement!;
  const label = (id: string) => (id === POOLED ? 'All (pooled)' : (data.dimensions.find((d) => d.id === id)?.label ?? id));
  const forest = forestPlot(
    a.rows.map((r) => ({ label: label(r.dimension), kappa: r.kappa, low: r.kappa_low, high: r.kappa_high, ...(r.note ? { note: r.note } : {}), pooled: r.dimension === POOLED })),
    'chart-forest',
    "Cohen's kappa between the codebook and the human coding, per dimension",
  );
  const undefinedRows = a.rows.filter((r) => r.kappa === null);
  const rows = a.rows.map((r: AgreementRow) => [
    label(r.dimension),
    int(r.units),
    int(r.a_coded),
    int(r.b_coded),
    int(r.tp),
    int(r.fp),
    int(r.fn),
    num(r.kappa),
    r.kappa === null ? '–' : `${num(r.kappa_low)} to ${num(r.kappa_high)}`,
    num(r.precision),
    num(r.recall),
    num(r.f1),
    num(r.ac1),
    r.note ?? '',
  ]);
  const statTable = table(
    'Agreement per dimension. Codebook = A, human = B, the reference: tp coded by both, fp by the codebook only, fn by the human only.',
    [['Dimension', 'Turns', 'Codebook', 'Human', 'tp', 'fp', 'fn', 'Kappa', '95% CI', 'Precision', 'Recall', 'F1', 'AC1', 'Note']],
    rows,
  );
  const notes: string[] = [];
  const byRoles = new Map<string, string[]>();
  for (const [id, roles] of Object.entries(a.roles)) {
    if (roles.length === ROLES.length) continue;
    const key = roles.map((r) => `${r}`).join(' and ');
    byRoles.set(key, [...(byRoles.get(key) ?? []), label(id)]);
  }
  for (const [roles, labels] of byRoles) notes.push(`Compared on ${esc(roles)} turns only, the turns the codebook codes ${labels.length === 1 ? 'it' : 'them'} for: ${esc(labels.join(', '))}.`);
  for (const [id, n] of Object.entries(a.outside)) {
    if (n > 0) notes.push(`The human coding also codes ${int(n)} turn${n === 1 ? '' : 's'} of other roles for ${esc(label(id))}; the codebook cannot code ${n === 1 ? 'it' : 'them'}, so ${n === 1 ? 'it is' : 'they are'} left out.`);
  }
  if (a.notCompared.length) notes.push(`Not compared (the human coding does not code them): ${esc(a.notCompared.map(label).join(', '))}.`);
  if (a.leftOut.length) {
    notes.push(`Left out (not in the human coding): ${int(a.leftOut.length)} transcript${a.leftOut.length === 1 ? '' : 's'}, ${esc(a.leftOut.slice(0, 10).join(', '))}${a.leftOut.length > 10 ? ', …' : '.'}`);
  }
  if (a.uncoded.length) {
    const n = a.uncoded.length;
    notes.push(`${int(n)} transcript${n === 1 ? ' has' : 's have'} no turn coded by the human coding, so every turn of ${n === 1 ? 'it' : 'them'} counts as not coded: ${esc(a.uncoded.slice(0, 10).join(', '))}${n > 10 ? ', …' : '.'}`);
  }
  if (undefinedRows.length) notes.push(`Kappa is undefined, and not plotted, for ${esc(undefinedRows.map((r) => label(r.dimension)).join(', '))}: neither coding varies.`);
  const shown = a.disagreements.shown;
  return section('agreement', 'Agreement with the human coding', [
    `<p>The codebook’s coding against <code>${esc(a.human)}</code> (${a.shape === 'long' ? 'a long coding: unlisted turns count as not coded' : 'a turn-level coding'}), ` +
      `over the ${int(a.units)} turns of ${int(a.transcripts)} transcript${a.transcripts === 1 ? '' : 's'}, as <code>relcode compare</code> computes it; ` +
      'each dimension on the turns of the roles the codebook codes it for (the Turns column). ' +
      'Cohen’s kappa with its 95% confidence interval (Fleiss, Cohen &amp; Everitt’s large-sample standard error); 0 is chance agreement, 1 perfect.</p>',
    a.rows.length
      ? figure(forest, `Points are kappas, whiskers their 95% confidence intervals${a.rows.some((r) => r.dimension === POOLED) ? '; the diamond pools every dimension' : ''}.`)
      : '<p class="muted">Nothing to compare.</p>',
    notes.length ? `<ul class="notes">${notes.map((n) => `<li>${n}</li>`).join('')}</ul>` : '',
    a.rows.length ? `<div class="table-wrap">${statTable}</div>` : '',
    `<h3>Disagreements</h3>`,
    a.disagreements.total === 0
      ? '<p class="muted">None.</p>'
      : `<p>${int(a.disagreements.total)} turn × dimension disagreement${a.disagreements.total === 1 ? '' : 's'}${shown.length < a.disagreements.total ? `; the first ${int(shown.length)}, in transcript order` : ''}. ` +
        'Highlights are the codebook’s matches for the dimension.</p>' +
        `<ol class="excerpts disagreements">${shown.map((d) => `<li>${disagreement(d, label(d.dimension))}</li>`).join('')}</ol>`,
  ]);
}

function disagreement(d: DisagreementExcerpt, dimension: string): string {
  const badge = (who: string, coded: boolean) => `<span class="badge ${coded ? 'yes' : 'no'}">${who}: ${coded ? 'coded' : 'not coded'}</span>`;
  return `<p class="dim">${esc(dimension)} ${badge('codebook', d.auto)} ${badge('human', d.human)}</p>${quote(d)}`;
}

// ---------------------------------------------------------------- pieces

function section(id: string, heading: string, parts: string[]): string {
  return [`<section id="${id}" aria-labelledby="${id}-h">`, `<h2 id="${id}-h">${esc(heading)}</h2>`, ...parts.filter(Boolean), '</section>'].join('\n');
}

function figure(svg: string, caption: string): string {
  return `<figure class="chart">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

function details(summary: string, body: string): string {
  return `<details><summary>${esc(summary)}</summary><div class="table-wrap">${body}</div></details>`;
}

/** A table of text cells (escaped here); the first column is a row header. */
function table(caption: string, head: string[][], rows: string[][], kind = ''): string {
  return [
    `<table${kind ? ` class="${kind}"` : ''}>`,
    `<caption>${esc(caption)}</caption>`,
    `<thead>${head.map((r) => `<tr>${r.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr>`).join('')}</thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('');
}

function scaleNote(rates: number[]): string {
  const top = scaleTop(rates);
  const highest = Math.max(0, ...rates);
  return top < highest
    ? ` The colour scale runs from 0 to ${num(top)}, the 95th percentile of the rates above zero; higher rates (up to ${num(highest)}) share the darkest colour.`
    : ` The colour scale runs from 0 to the highest rate, ${num(highest)}.`;
}

function capNote(shown: number, total: number): string {
  return shown < total ? ` Only the first ${int(shown)} of ${int(total)} transcripts are shown.` : '';
}
