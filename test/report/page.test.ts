import { describe, expect, it } from 'vitest';
import type { CodedTranscript } from '../../src/coding/model.js';
import { ReportCollector } from '../../src/report/collect.js';
import { isCoded, type ReportData } from '../../src/report/model.js';
import { CSP, renderReport } from '../../src/report/page.js';
import { dimensions, session, turn } from '../output/fixture.js';

const hostileText = 'I <b>care</b> about you & "you" matter\u0000 <script>alert(1)</script> https://evil.example/x.png';
const hostile: CodedTranscript = {
  id: '<img src=x onerror=alert(1)>',
  source: 'h.txt',
  turns: [
    turn(1, 'Dr. "<Lee>"', 'therapist', hostileText, 14, [['care', 'warmth'], ['matter', 'warmth']]),
    turn(2, 'Client', 'client', 'ok', 1),
  ],
};

function data(transcripts: CodedTranscript[], extra: Partial<ReportData> = {}): ReportData {
  const collector = new ReportCollector(dimensions, { excerpts: 3, timelines: 50 });
  for (const t of transcripts) collector.add(t);
  return {
    codebook: { name: 'Relationship <test>', version: '2.0.1', file: 'cb.yaml' },
    tool: { name: 'relcode', version: '0.0.0' },
    date: '2024-05-06',
    dimensions: dimensions.map((d) => ({ ...d, definition: `What ${d.label} means.` })),
    files: transcripts.length,
    ...collector.result(),
    redacted: false,
    ...extra,
  };
}

describe('renderReport', () => {
  const html = renderReport(data([session, hostile]));

  it('is one document with a strict CSP, no script, no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
    expect(CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|audio|video|source)\b/i);
    expect(html).not.toMatch(/<[^>]*\s(src|srcset|xlink:href)=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    // hrefs are in-page anchors only
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#[\w-]+$/);
  });

  it('has no URL but those quoted (escaped) from the transcript', () => {
    const withoutQuoted = html.replaceAll('https://evil.example/x.png', '');
    expect(withoutQuoted).not.toContain('http://');
    expect(withoutQuoted).not.toContain('https://');
    expect(withoutQuoted).not.toContain('//');
  });

  it('escapes transcript text, ids and speakers', () => {
    expect(html).not.toContain('<b>care</b>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('I &lt;b&gt;<mark>care</mark>&lt;/b&gt; about you &amp; &quot;you&quot; <mark>matter</mark>\ufffd &lt;script&gt;');
    expect(html).toContain('Dr. &quot;&lt;Lee&gt;&quot;');
    // only our own elements: every tag name is one the page uses
    const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
    const own = ['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'h1', 'h2', 'h3', 'dl', 'div', 'dt', 'dd', 'p', 'strong', 'code', 'nav', 'ul', 'li', 'a',
      'section', 'figure', 'figcaption', 'svg', 'desc', 'rect', 'text', 'line', 'g', 'circle', 'path', 'details', 'summary', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td',
      'article', 'ol', 'blockquote', 'mark', 'span', 'footer'];
    expect([...tags].filter((t) => !own.includes(t))).toEqual([]);
  });

  it('shows the codebook name and version and the date', () => {
    expect(html).toContain('Relationship &lt;test&gt;, version 2.0.1');
    expect(html).toContain('2024-05-06');
    expect(html).toMatch(/<title>Relationship &lt;test&gt;: relcode report<\/title>/);
  });

  it('has every chart, each with a data table or text alternative', () => {
    const charts = [...html.matchAll(/<svg [^>]*data-chart="([\w-]+)"[^>]*>/g)];
    expect(charts.map((m) => m[1])).toEqual(['rates', 'heatmap', 'timeline', 'timeline']);
    for (const [svg] of charts) expect(svg).toMatch(/role="img" aria-labelledby="[\w-]+-title [\w-]+-desc"/);
    expect(html.match(/<details>/g)!.length).toBeGreaterThanOrEqual(4);
    expect(html).not.toContain('id="agreement"');
  });

  it('prints: page breaks between sections, colours kept, SVGs scale', () => {
    expect(html).toMatch(/@media print \{[^]*section \{ break-before: page; \}/);
    expect(html).toContain('print-color-adjust: exact');
    expect(html).toMatch(/svg\.chart \{[^}]*max-width: 100%; height: auto;/);
  });

  it('caps the timelines and says so', () => {
    const collector = new ReportCollector(dimensions, { excerpts: 1, timelines: 1 });
    collector.add(session);
    collector.add(hostile);
    const r = collector.result();
    expect(r.timelines).toHaveLength(1);
    expect(r.timelinesOmitted).toBe(1);
    const capped = renderReport({ ...data([]), ...r });
    expect(capped).toContain('Only the first 1 of 2 transcripts are shown.');
    expect(capped.match(/data-chart="timeline"/g)).toHaveLength(1);
  });

  it('an empty corpus still renders', () => {
    const empty = renderReport(data([]));
    expect(empty).toContain('No transcripts.');
    expect(empty).toContain('No coded turns.');
  });
});

describe('ReportCollector', () => {
  it('tallies per transcript and role, and keeps the coded flags of each turn', () => {
    const collector = new ReportCollector(dimensions, { excerpts: 2, timelines: 5 });
    collector.add(session);
    const { transcripts, timelines, excerpts } = collector.result();
    const [s] = transcripts;
    expect(s!.all).toEqual({ turns: 4, words: 36, matches: [2, 1, 2], coded: [2, 1, 1] });
    expect(s!.byRole.therapist).toEqual({ turns: 2, words: 21, matches: [1, 1, 2], coded: [1, 1, 1] });
    expect(s!.byRole.client).toEqual({ turns: 2, words: 15, matches: [1, 0, 0], coded: [1, 0, 0] });
    expect(s!.byRole.other.turns).toBe(0);
    const [t] = timelines;
    const coded = [0, 1, 2, 3].map((i) => [0, 1, 2].filter((d) => isCoded(t!, i, d)));
    expect(coded).toEqual([[2], [0], [0, 1], []]);
    expect([...t!.roles]).toEqual([0, 1, 0, 1]);
    expect(excerpts.warmth!.map((e) => e.turn)).toEqual([1]);
  });
});
