/**
 * LIWC dictionaries → Dictionary.
 *
 * .dic (LIWC2001–2015, read by LIWC-22 too):
 *   %
 *   1<TAB>posemo          category id and name
 *   %
 *   happ*<TAB>1<TAB>3     an entry and its category ids; a trailing * matches any ending
 * LIWC2007's conditional categories, such as `like<TAB>(02 134)125/464`, depend on
 * the word before and are reported and left out.
 *
 * .dicx (LIWC-22): CSV, the first column the entry (`DicTerm`), then one column
 * per category with an `X` where the entry belongs to it.
 */
import { parse } from 'csv-parse/sync';
import { diagnostic, InputError, type Diagnostic, type Report } from '../../diagnostics.js';
import type { Dictionary, DictionaryEntry } from './model.js';

const HEADER_HINT = 'a LIWC .dic starts with a "%" line, then one "id<TAB>name" line per category, then another "%" line, then one entry per line';

export function parseDic(text: string, file: string, report: Report): Dictionary {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const errors: Diagnostic[] = [];
  const error = (line: number, ruleId: string, message: string, hint: string) => errors.push(diagnostic('error', ruleId, { file, line }, message, hint));

  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (i === lines.length || lines[i]!.trim() !== '%') {
    throw new InputError([diagnostic('error', 'bad-dictionary', { file, line: Math.min(i + 1, lines.length) }, 'no "%" line before the category list', HEADER_HINT)]);
  }
  const opened = i + 1;
  const categories: Dictionary['categories'] = [];
  const byId = new Map<string, number>();
  for (i++; i < lines.length && lines[i]!.trim() !== '%'; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (!m) {
      error(i + 1, 'bad-dictionary', `category line "${line}" needs an id and a name`, 'write e.g. "126<TAB>posemo"');
      continue;
    }
    const id = categoryKey(m[1]!);
    if (byId.has(id)) {
      error(i + 1, 'duplicate-category', `category id ${m[1]} is declared twice (first on line ${categories[byId.get(id)!]!.line})`, 'give each category its own id');
      continue;
    }
    byId.set(id, categories.length);
    categories.push({ path: [m[2]!.trim()], source: m[1]!, line: i + 1 });
  }
  if (i === lines.length) {
    throw new InputError([diagnostic('error', 'bad-dictionary', { file, line: opened }, 'the category list that starts here has no closing "%" line', HEADER_HINT)]);
  }
  if (categories.length === 0 && errors.length === 0) error(i + 1, 'bad-dictionary', 'no categories between the "%" lines', HEADER_HINT);

  const entries = new Entries(file, report);
  for (i++; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const { word, fields } = splitEntry(raw, byId);
    const cats = new Set<number>();
    for (const field of fields) {
      if (/[()<>/]/.test(field)) {
        report(diagnostic('warning', 'untranslatable-entry', { file, line: i + 1 }, `conditional category "${field}" of "${word}" is left out: LIWC picks it by the word before`, 'add a phrase for the intended reading by hand, e.g. `(i|we) like` to the category it names'));
        continue;
      }
      const index = byId.get(categoryKey(field));
      if (index === undefined) {
        const known = [...byId.keys()];
        error(i + 1, 'unknown-category', `"${word}" refers to category ${field}, which the header does not declare`, `declared ids: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`);
      } else cats.add(index);
    }
    if (cats.size === 0) {
      if (!fields.some((f) => /[()<>/]/.test(f))) {
        report(diagnostic('warning', 'untranslatable-entry', { file, line: i + 1 }, `"${word}" has no category and is left out`, 'add its category ids after a tab'));
      }
      continue;
    }
    entries.add(word, i + 1, cats);
  }
  if (errors.length) throw new InputError(errors);
  return { file, format: 'liwc-dic', categories, entries: entries.list };
}

/** `01` and `1` are the same category. */
function categoryKey(id: string): string {
  return /^\d+$/.test(id) ? String(Number(id)) : id;
}

/** An entry line: tab-separated (the word may contain spaces), or, without tabs, trailing category ids. */
function splitEntry(line: string, byId: Map<string, number>): { word: string; fields: string[] } {
  if (line.includes('\t')) {
    const [word, ...rest] = line.split('\t');
    const fields = rest.flatMap((f) => (/[()<>/]/.test(f) ? [f.trim()] : f.trim().split(/\s+/))).filter(Boolean);
    return { word: word!.trim(), fields };
  }
  const tokens = line.trim().split(/\s+/);
  let k = tokens.length;
  while (k > 1 && (byId.has(categoryKey(tokens[k - 1]!)) || /^\d+$/.test(tokens[k - 1]!))) k--;
  return { word: tokens.slice(0, k).join(' '), fields: tokens.slice(k) };
}

export function parseDicx(text: string, file: string, report: Report): Dictionary {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, relax_column_count: true, info: true, skip_empty_lines: true }) as unknown as typeof rows;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new InputError([diagnostic('error', 'bad-dictionary', { file, ...(line ? { line } : {}) }, `not a CSV file: ${(err as Error).message}`, 'a .dicx is CSV: the entry column, then one column per category with X marks')]);
  }
  const header = rows[0]?.record ?? [];
  if (header.length < 2) {
    throw new InputError([diagnostic('error', 'bad-dictionary', { file, line: 1 }, 'the header row needs the entry column and at least one category column', 'e.g. "DicTerm,posemo,negemo"')]);
  }
  const names = header.slice(1).map((n) => n.trim());
  const empty = names.findIndex((n) => n === '');
  if (empty >= 0) {
    throw new InputError([diagnostic('error', 'bad-dictionary', { file, line: 1 }, `category column ${empty + 2} has no name`, 'name every column of the header row')]);
  }
  const categories = names.map((name) => ({ path: [name], line: 1 }));
  const entries = new Entries(file, report);
  let marks = 0;
  const odd: { line: number; cell: string }[] = [];
  for (const { record, info } of rows.slice(1)) {
    const word = (record[0] ?? '').trim();
    const cats = new Set<number>();
    record.slice(1, names.length + 1).forEach((cell, c) => {
      const v = cell.trim();
      if (/^x$/i.test(v)) cats.add(c);
      else if (v !== '') odd.push({ line: info.lines, cell: v });
    });
    marks += cats.size;
    if (word === '') continue;
    if (cats.size === 0) {
      report(diagnostic('warning', 'untranslatable-entry', { file, line: info.lines }, `"${word}" has no X mark and is left out`, 'mark its categories with X'));
      continue;
    }
    entries.add(word, info.lines, cats);
  }
  if (marks === 0) {
    const weighted = odd.length > 0 && odd.every((o) => Number.isFinite(Number(o.cell)));
    throw new InputError([
      diagnostic('error', 'bad-dictionary', { file, line: 2 }, 'no X marks: no entry belongs to a category',
        weighted ? 'this looks like a weighted dictionary (numbers instead of X); relcode counts matches and has no per-category weights' : 'mark each entry\'s categories with X, as LIWC-22\'s Dictionary Workbench writes them'),
    ]);
  }
  if (odd.length) {
    report(diagnostic('warning', 'untranslatable-entry', { file, line: odd[0]!.line }, `${odd.length} cell${odd.length === 1 ? '' : 's'} hold something other than X or nothing (first: "${odd[0]!.cell}"); ignored`, 'only X marks membership in a .dicx'));
  }
  return { file, format: 'liwc-dicx', categories, entries: entries.list };
}

/** Distinct entries (case-insensitive), in file order; a repeated entry adds its categories to the first. */
class Entries {
  readonly list: DictionaryEntry[] = [];
  private readonly seen = new Map<string, DictionaryEntry>();
  constructor(private readonly file: string, private readonly report: Report) {}

  add(word: string, line: number, cats: Set<number>): void {
    const key = word.toLowerCase();
    const first = this.seen.get(key);
    if (first) {
      this.report(diagnostic('warning', 'duplicate-entry', { file: this.file, line }, `"${word}" is listed again (first on line ${first.line}); its categories are merged`, 'list each entry once, with all its categories'));
      first.categories = [...new Set([...first.categories, ...cats])].sort((a, b) => a - b);
      return;
    }
    const entry = { text: word, line, categories: [...cats].sort((a, b) => a - b) };
    this.seen.set(key, entry);
    this.list.push(entry);
  }
}
