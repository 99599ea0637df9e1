/**
 * `relcode import qdpx`: the coders' selections in a REFI-QDA project → one
 * long coding (transcript,turn,dimension) per coder, ready for `compare`.
 * Each source's text is split into turns by the text reader; a selection
 * counts for every turn it overlaps. Every selection or coding that cannot be
 * used is reported, with the project file and the selection's GUID.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { diagnostic, fail, InputError, type Diagnostic, type Report } from '../diagnostics.js';
import { loadProject, norm, type QdaProject } from '../qda/project.js';
import { splitProjectSource, turnsOverlapping } from '../qda/turns.js';

export interface ImportQdpxOptions {
  file: string;
  /** YAML: project code name → dimension id */
  map: string;
  /** only this coder */
  user?: string;
}

export interface ImportedCoding {
  /** the coder's User name in the project (or its guid when it has none) */
  user: string;
  rows: { transcript: string; turn: number; dimension: string }[];
}

export interface CodeMapEntry {
  dimension: string;
  /** where the entry's key is, for warnings */
  file: string;
  line: number;
  col: number;
}

export async function runImportQdpx(options: ImportQdpxOptions, report: Report): Promise<{ codings: ImportedCoding[] }> {
  const map = await loadCodeMap(options.map);
  const project = await loadProject(options.file, report);
  return { codings: importCodings(project, map, options, report) };
}

/** The map file: a YAML mapping of code names (strings) to dimension ids (strings). */
export async function loadCodeMap(file: string): Promise<Map<string, CodeMapEntry>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail('file-not-found', { file }, `cannot read the code map: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path given to --map');
  }
  return parseCodeMap(text, file);
}

export function parseCodeMap(text: string, file: string): Map<string, CodeMapEntry> {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const hint = 'write one `"Code name in the project": dimension_id` per line, e.g. `"Warmth (T)": warmth`';
  const problems: Diagnostic[] = [];
  const at = (node: Node | null | undefined) => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return { file, line: pos.line, col: pos.col };
  };
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    problems.push(diagnostic('error', e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax', { file, line: pos.line, col: pos.col }, e.message.split('\n')[0]!, hint));
  }
  if (problems.length) throw new InputError(problems);
  const root = doc.contents;
  if (!isMap(root) || root.items.length === 0) fail('bad-code-map', at(root), 'the code map must be a non-empty mapping of code names to dimension ids', hint);
  const map = new Map<string, CodeMapEntry>();
  for (const pair of root.items) {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    if (!isScalar(key) || key.value === null || typeof key.value === 'object') {
      problems.push(diagnostic('error', 'bad-code-map', at(key), 'a code name must be a string', hint));
      continue;
    }
    const name = String(key.value);
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') {
      // harmless in the Map below, but never a real code name: refuse it rather than guess
      problems.push(diagnostic('error', 'reserved-key', at(key), `"${name}" is a reserved JavaScript property name, not a code name`, hint));
      continue;
    }
    if (!isScalar(value) || typeof value.value !== 'string' || value.value.trim() === '') {
      problems.push(diagnostic('error', 'bad-code-map', at(value ?? key), `"${name}" must map to a dimension id (a string)`, hint));
      continue;
    }
    map.set(name, { dimension: value.value.trim(), ...at(key) });
  }
  if (problems.length) throw new InputError(problems);
  return map;
}

export function importCodings(project: QdaProject, map: Map<string, CodeMapEntry>, options: { map: string; user?: string }, report: Report): ImportedCoding[] {
  const { file } = project;
  const warn = (ruleId: string, message: string, hint?: string) => report(diagnostic('warning', ruleId, { file }, message, hint));
  // per coder: the coded units, deduplicated, in source, turn and map order
  const byUser = new Map<string, Map<string, { transcript: string; turn: number; dimension: string; order: [number, number, number] }>>();
  const dimensionOrder = [...new Set([...map.values()].map((e) => e.dimension))];
  const unmapped = new Map<string, number>();
  let codings = 0;

  project.sources.forEach((source, sourceIndex) => {
    const split = splitProjectSource(source, file, report, (d) =>
      warn(d.ruleId, `source "${source.name}" (${source.guid}): ${d.message}; its codings are skipped`, d.hint),
    );
    if (source.wholeCodings > 0) {
      const n = source.wholeCodings;
      codings += n;
      warn('source-coding', `source "${source.name}" (${source.guid}) has ${n} coding${n === 1 ? '' : 's'} of the whole document; relcode maps codings of text selections to turns, so these are skipped`,
        'code the passages (selections) instead of the whole document');
    }
    for (const sel of source.selections) {
      const where = `selection ${sel.guid} in source "${source.name}"`;
      codings += sel.codings.length;
      // a selection without codings (a memo's anchor, say) is not ours to check; an unreadable text was reported
      if (!split || sel.codings.length === 0) continue;
      if (!Number.isInteger(sel.start) || !Number.isInteger(sel.end) || sel.start < 0 || sel.end > split.length || sel.start >= sel.end) {
        warn('position-out-of-range',
          `${where}: positions ${sel.start}–${sel.end} are not a range within the text (0–${split.length} code points); skipped`,
          'positions count Unicode code points from 0, end exclusive; re-export from the QDA software if the document was changed after coding');
        continue;
      }
      const turns = turnsOverlapping(split.spans, sel.start, sel.end);
      if (turns.length === 0) {
        warn('selection-outside-turns', `${where}: positions ${sel.start}–${sel.end} cover only text outside the turns, such as lines before the first speaker label; skipped`);
        continue;
      }
      for (const c of sel.codings) {
        const code = project.codes.get(norm(c.codeGuid));
        if (!code) {
          warn('unknown-code', `${where}: coding ${c.guid} refers to code ${c.codeGuid || '(none)'}, which is not in the project's codebook; skipped`,
            'the project file is inconsistent; export it again from the QDA software');
          continue;
        }
        const entry = map.get(code.name);
        if (!entry) {
          unmapped.set(code.name, (unmapped.get(code.name) ?? 0) + 1);
          continue;
        }
        const user = c.user ? (project.users.get(norm(c.user)) ?? c.user) : 'unknown';
        let units = byUser.get(user);
        if (!units) byUser.set(user, (units = new Map()));
        for (const turn of turns) {
          units.set(`${sourceIndex}\u0000${turn}\u0000${entry.dimension}`, {
            transcript: split.transcript.id, turn, dimension: entry.dimension,
            order: [sourceIndex, turn, dimensionOrder.indexOf(entry.dimension)],
          });
        }
      }
    }
  });

  for (const [name, n] of unmapped) {
    warn('unmapped-code', `code "${name}" is not in the map ${options.map}; its ${n} coding${n === 1 ? ' is' : 's are'} skipped`,
      `add \`${JSON.stringify(name)}: <dimension id>\` to ${options.map} to import it`);
  }
  const projectNames = new Set([...project.codes.values()].map((c) => c.name));
  for (const [name, e] of map) {
    if (!projectNames.has(name)) {
      report(diagnostic('warning', 'unused-map-entry', { file: e.file, line: e.line, col: e.col }, `the project has no code named "${name}"`,
        `codes in the project: ${[...projectNames].slice(0, 20).map((n) => JSON.stringify(n)).join(', ')}`));
    }
  }
  if (codings === 0) fail('no-codings', { file }, 'the project holds no codings of text selections', 'code some passages in the QDA software, then export the project again');
  if (byUser.size === 0) {
    fail('no-codings', { file }, `none of the project's ${codings} codings could be imported (see the warnings above)`, `map the project's code names to dimension ids in ${options.map}`);
  }

  let users = [...byUser.keys()];
  if (options.user !== undefined) {
    if (!byUser.has(options.user)) {
      fail('unknown-user', { file: '<command line>' }, `--user "${options.user}": no coder of that name made a mapped coding in ${file}`,
        users.length ? `coders: ${users.join(', ')}` : 'no coder made a coding of a mapped code');
    }
    users = [options.user];
  }
  return users.map((user) => ({
    user,
    rows: [...byUser.get(user)!.values()]
      .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2])
      .map(({ transcript, turn, dimension }) => ({ transcript, turn, dimension })),
  }));
}
