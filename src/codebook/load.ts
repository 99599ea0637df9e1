/**
 * YAML codebook → validated Codebook model. Every problem becomes a Diagnostic
 * with the file, line and column of the offending node; all of them are
 * collected before failing, so one run shows every mistake.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as YamlModule from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';
import { diagnostic, InputError, type Diagnostic } from '../diagnostics.js';
import { requirePackage } from '../packages.js';
import { ROLES, type Role } from '../transcript/model.js';
import { DEFAULT_ROLE_PATTERNS, type RolePatterns } from '../transcript/roles.js';
import { tokenize } from '../text/tokenize.js';
import { modelFor } from '../learn/model.js';
import type { Codebook, Context, Dimension, Example, Indicator, ModelIndicator, Near, NegationRule, RulePhrase } from './model.js';
import { literalWords, parsePhrase, PhraseError } from './phrase.js';
import { unsafeRegexReason } from './regex-safety.js';
import { fromSnapshot } from './snapshot.js';

export const DEFAULT_CODEBOOK = fileURLToPath(new URL('../../codebooks/relationship.yaml', import.meta.url));

const TOP_KEYS = ['codebook', 'version', 'language', 'description', 'roles', 'defaults', 'dimensions'];
const DEFAULTS_KEYS = ['stem', 'negation'];
const NEGATION_KEYS = ['cues', 'window'];
const DIMENSION_KEYS = ['label', 'definition', 'roles', 'indicators', 'exclude', 'examples', 'stem', 'negation', 'context', 'threshold'];
const INDICATOR_KEYS = ['phrase', 'regex', 'model', 'threshold', 'weight', 'roles', 'stem', 'negation', 'question', 'near', 'context', 'note'];
/** The keys a `{ model: FILE }` indicator takes; phrase rules do not apply to a whole-turn model. */
const MODEL_KEYS = ['model', 'threshold', 'weight', 'roles', 'note'];
const NEAR_KEYS = ['phrase', 'within'];
const CONTEXT_KEYS = ['previous'];
const PREVIOUS_KEYS = ['role', 'phrase', 'coded'];
const EXAMPLES_KEYS = ['coded', 'not_coded'];
const EXAMPLE_KEYS = ['text', 'role', 'previous'];
const PREVIOUS_EXAMPLE_KEYS = ['text', 'role'];
const DEFAULT_NEAR = 5;
/** Column names of `--level turn` that a dimension id would collide with. */
const RESERVED_IDS = new Set(['transcript', 'turn', 'speaker', 'role', 'start', 'end', 'words', 'text', 'dimension']);
/** Names plain JS objects inherit or treat specially: ids key records of counts, so none may be one of these. */
const JS_RESERVED_IDS = new Set(['constructor', 'prototype', '__proto__']);
const DEFAULT_NEGATION: NegationRule = { cues: ['not', 'no', 'never', 'without'], window: 3 };
const MAX_ALIAS_RESOLUTIONS = 1000;

export async function loadCodebook(file: string): Promise<Codebook> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError([
      diagnostic('error', 'file-not-found', { file }, `cannot read codebook: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path given to --codebook'),
    ]);
  }
  return (await fromBuildSnapshot(file, text)) ?? parseCodebook(text, file);
}

/** A bundled codebook's build-time snapshot, when its text is unchanged since the build. */
async function fromBuildSnapshot(file: string, text: string): Promise<Codebook | undefined> {
  if (dirname(resolve(file)) !== dirname(DEFAULT_CODEBOOK)) return undefined;
  const json = await readFile(fileURLToPath(new URL(`../codebooks/${basename(file, '.yaml')}.json`, import.meta.url)), 'utf8').catch(() => undefined);
  return json === undefined ? undefined : fromSnapshot(json, text, file);
}

/** The YAML parser, loaded on first use: the bundled codebook usually comes from its snapshot without it. */
let yamlModule: typeof YamlModule | undefined;
const yaml = (): typeof YamlModule => (yamlModule ??= requirePackage('yaml') as typeof YamlModule);

export function parseCodebook(text: string, file: string): Codebook {
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    const unique = e.code === 'DUPLICATE_KEY';
    diagnostics.push(
      diagnostic('error', unique ? 'duplicate-key' : 'yaml-syntax', { file, line: pos.line, col: pos.col }, firstLine(e.message),
        unique ? 'each key, and each dimension id, may appear once; merge or rename one of them' : 'fix the YAML syntax here: check indentation, colons and quotes'),
    );
  }
  if (diagnostics.length) throw new InputError(diagnostics);
  const codebook = new Checker(file, lines, doc, diagnostics).codebook(doc.contents);
  if (diagnostics.some((d) => d.severity === 'error') || !codebook) throw new InputError(diagnostics);
  return codebook;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

type Entries = Map<string, { key: Node; value: Node | null }>;

/** What an indicator inherits from its dimension; `models` collects its model indicators. */
interface IndicatorContext {
  stem: boolean;
  negation: NegationRule;
  roles: Role[];
  dimension?: string;
  models?: ModelIndicator[];
}

class Checker {
  private aliases = 0;
  /** `context: { previous: { coded } }` ids, checked once every dimension is known */
  private codedRefs: { id: string; node: Node }[] = [];
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
    private readonly diagnostics: Diagnostic[],
  ) {}

  codebook(root: Node | null): Codebook | undefined {
    const top = this.entries(root, TOP_KEYS, 'the codebook');
    if (!top) return undefined;
    const name = this.required(top, 'codebook', root, 'the codebook', (n) => this.string(n, 'codebook'));
    const version = top.has('version') ? this.scalarText(top.get('version')!.value, 'version') : '0.0.0';
    const language = top.has('language') ? this.string(top.get('language')!.value, 'language') : 'en';
    const description = top.has('description') ? this.string(top.get('description')!.value, 'description') : undefined;
    const roles = top.has('roles') ? this.rolePatterns(top.get('roles')!.value) : DEFAULT_ROLE_PATTERNS;
    const defaults = { stem: true, negation: DEFAULT_NEGATION };
    const d = top.get('defaults');
    if (d) {
      const e = this.entries(d.value, DEFAULTS_KEYS, 'defaults');
      if (e?.has('stem')) defaults.stem = this.bool(e.get('stem')!.value, 'stem') ?? true;
      if (e?.has('negation')) defaults.negation = this.negation(e.get('negation')!.value, DEFAULT_NEGATION);
    }
    const dimensions = this.required(top, 'dimensions', root, 'the codebook', (n) => this.dimensions(n, defaults));
    if (name === undefined || !dimensions) return undefined;
    const ids = dimensions.map((x) => x.id);
    for (const ref of this.codedRefs) {
      if (ids.includes(ref.id)) continue;
      const guess = didYouMean(ref.id, ids);
      this.error(ref.node, 'unknown-dimension', `no dimension "${ref.id}" in this codebook${guess ? ` (did you mean "${guess}"?)` : ''}`, `dimensions are: ${ids.join(', ')}`);
    }
    return { file: this.file, name, version: version ?? '0.0.0', language: language ?? 'en', ...(description ? { description } : {}), roles: roles ?? DEFAULT_ROLE_PATTERNS, dimensions };
  }

  private dimensions(node: Node, defaults: { stem: boolean; negation: NegationRule }): Dimension[] | undefined {
    const node2 = this.resolve(node);
    if (!yaml().isMap(node2) || node2.items.length === 0) {
      this.error(node, 'bad-value', '`dimensions` must be a mapping of dimension ids to dimensions', 'write `dimensions:` followed by indented ids such as `empathy:`');
      return undefined;
    }
    const out: Dimension[] = [];
    for (const pair of node2.items) {
      const keyNode = pair.key as Node;
      const id = yaml().isScalar(keyNode) ? String(keyNode.value) : '';
      if (!/^[a-z][a-z0-9_]*$/.test(id)) {
        this.error(keyNode, 'bad-id', `dimension id "${id}" must be lower case letters, digits and _ , starting with a letter`, 'ids become CSV column names; use e.g. `empathy` or `working_alliance`');
        continue;
      }
      if (JS_RESERVED_IDS.has(id)) {
        this.error(keyNode, 'bad-id', `dimension id "${id}" is a reserved JavaScript property name`, `rename the dimension, e.g. \`${id}_dim\``);
        continue;
      }
      if (RESERVED_IDS.has(id)) {
        this.error(keyNode, 'bad-id', `dimension id "${id}" is a column name of the turn-level output`, `rename the dimension, e.g. \`${id}_dim\``);
        continue;
      }
      const dim = this.dimension(id, keyNode, pair.value as Node | null, defaults);
      if (dim) out.push(dim);
    }
    return out;
  }

  private dimension(id: string, keyNode: Node, node: Node | null, defaults: { stem: boolean; negation: NegationRule }): Dimension | undefined {
    const e = this.entries(node, DIMENSION_KEYS, `dimension "${id}"`);
    if (!e) return undefined;
    const label = e.has('label') ? this.string(e.get('label')!.value, 'label') : id;
    const definition = e.has('definition') ? this.string(e.get('definition')!.value, 'definition') : '';
    const roles = e.has('roles') ? this.roles(e.get('roles')!.value) : [...ROLES];
    const stem = e.has('stem') ? this.bool(e.get('stem')!.value, 'stem') ?? defaults.stem : defaults.stem;
    const negation = e.has('negation') ? this.negation(e.get('negation')!.value, defaults.negation) : defaults.negation;
    const dimRoles = roles ?? [...ROLES];
    const models: ModelIndicator[] = [];
    const ctx: IndicatorContext = { stem, negation, roles: dimRoles, dimension: id, models };
    const indicators = this.required(e, 'indicators', node, `dimension "${id}"`, (n) => this.indicatorList(n, ctx, 'indicators')) ?? [];
    const exclude = e.has('exclude') ? this.indicatorList(e.get('exclude')!.value, ctx, 'exclude') ?? [] : [];
    for (const x of exclude) x.negation = false;
    const examples = e.has('examples') ? this.examples(e.get('examples')!.value, dimRoles[0] ?? 'therapist') : { coded: [], not_coded: [] };
    const context = e.has('context') ? this.context(e.get('context')!.value, stem) : undefined;
    const threshold = e.has('threshold') ? this.number(e.get('threshold')!.value, 'threshold', { min: 0, exclusiveMin: true }) : undefined;
    return {
      id,
      label: label ?? id,
      definition: definition ?? '',
      roles: dimRoles,
      negation,
      indicators,
      ...(models.length ? { models } : {}),
      ...(context ? { context } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      exclude,
      examples,
      line: this.place(keyNode).line,
    };
  }

  private indicatorList(node: Node | null, ctx: IndicatorContext, what: string): Indicator[] | undefined {
    const seq = this.resolve(node);
    if (!yaml().isSeq(seq)) {
      this.error(node, 'bad-value', `\`${what}\` must be a list`, `write each item on its own line starting with "- "`);
      return undefined;
    }
    const out: Indicator[] = [];
    for (const item of seq.items as Node[]) {
      const ind = this.indicator(item, ctx, what);
      if (ind) out.push(ind);
    }
    return out;
  }

  private indicator(node: Node, ctx: IndicatorContext, what: string): Indicator | undefined {
    const resolved = this.resolve(node);
    if (yaml().isScalar(resolved)) {
      const source = this.string(resolved, 'phrase');
      return source === undefined ? undefined : this.phraseIndicator(source, resolved, ctx, {});
    }
    const e = this.entries(node, INDICATOR_KEYS, `an item of \`${what}\``);
    if (!e) return undefined;
    if (e.has('model')) return this.modelIndicator(e, node, ctx, what);
    if (e.has('threshold')) {
      this.error(e.get('threshold')!.key, 'bad-indicator', '`threshold` belongs to a model indicator', 'write `{ model: FILE, threshold: 0.5 }`, or give the dimension a `threshold:`');
      return undefined;
    }
    const hasPhrase = e.has('phrase');
    if (hasPhrase === e.has('regex')) {
      this.error(node, 'bad-indicator', 'an indicator needs exactly one of `phrase`, `regex` or `model`', 'write `{ phrase: ... }`, `{ regex: ... }` or `{ model: FILE }`');
      return undefined;
    }
    const weight = e.has('weight') ? this.number(e.get('weight')!.value, 'weight', { min: 0, exclusiveMin: true }) : 1;
    const roles = this.indicatorRoles(e, ctx);
    const stem = e.has('stem') ? this.bool(e.get('stem')!.value, 'stem') ?? ctx.stem : ctx.stem;
    const negation = e.has('negation') ? this.bool(e.get('negation')!.value, 'negation') ?? true : true;
    const note = e.has('note') ? this.string(e.get('note')!.value, 'note') : undefined;
    const question = e.has('question') ? this.bool(e.get('question')!.value, 'question') : undefined;
    const near = e.has('near') ? this.near(e.get('near')!.value, stem) : undefined;
    const context = e.has('context') ? this.context(e.get('context')!.value, stem) : undefined;
    const options = {
      weight: weight ?? 1,
      roles,
      stem,
      negation,
      ...(question !== undefined ? { question } : {}),
      ...(near ? { near } : {}),
      ...(context ? { context } : {}),
      ...(note ? { note } : {}),
    };
    if (hasPhrase) {
      const valueNode = e.get('phrase')!.value;
      const source = this.string(valueNode, 'phrase');
      return source === undefined ? undefined : this.phraseIndicator(source, this.resolve(valueNode)!, ctx, options);
    }
    const valueNode = e.get('regex')!.value;
    const source = this.string(valueNode, 'regex');
    if (source === undefined) return undefined;
    let re: RegExp;
    try {
      re = new RegExp(source, 'giu');
    } catch (err) {
      this.error(valueNode, 'bad-regex', `regex does not compile: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, 'regexes use JavaScript syntax with the u flag; in single-quoted YAML a backslash needs no escaping');
      return undefined;
    }
    const unsafe = unsafeRegexReason(source);
    if (unsafe) {
      this.error(valueNode, 'unsafe-regex', `regex can backtrack catastrophically: ${unsafe}`, 'let each part match a piece of text one way only: `(ab)+` rather than `(a+b?)+`, alternatives with different first letters, `\\s{1,20}` rather than `\\s+` in a lookbehind; or use a phrase with `...`');
      return undefined;
    }
    const pos = this.place(valueNode);
    return { source: `regex:${source}`, line: pos.line, col: pos.col, pattern: { kind: 'regex', re }, ...options };
  }

  private phraseIndicator(
    source: string,
    node: Node,
    ctx: IndicatorContext,
    options: Partial<Omit<Indicator, 'source' | 'line' | 'col' | 'pattern'>>,
  ): Indicator | undefined {
    const phrase = this.phrase(source, node, options.stem ?? ctx.stem);
    if (!phrase) return undefined;
    const hasCue = literalWords(phrase.seq).some((w) => ctx.negation.cues.includes(w));
    return {
      ...options,
      source,
      line: phrase.line,
      col: this.place(node).col,
      pattern: { kind: 'phrase', seq: phrase.seq },
      weight: options.weight ?? 1,
      roles: options.roles ?? ctx.roles,
      stem: options.stem ?? ctx.stem,
      negation: (options.negation ?? true) && !hasCue,
    };
  }

  /** An indicator's `roles`: they can only narrow its dimension's. */
  private indicatorRoles(e: Entries, ctx: IndicatorContext): Role[] {
    if (!e.has('roles')) return ctx.roles;
    const r = this.roles(e.get('roles')!.value);
    const outside = r?.filter((x) => !ctx.roles.includes(x)) ?? [];
    if (outside.length) {
      this.error(e.get('roles')!.value, 'bad-roles', `role ${outside.join(', ')} is not among its dimension's roles (${ctx.roles.join(', ')})`, 'an indicator can only narrow the roles of its dimension; add the role to the dimension or remove it here');
    }
    return r?.filter((x) => ctx.roles.includes(x)) ?? ctx.roles;
  }

  /**
   * `{ model: FILE, threshold }`: a model file written by `relcode learn`, read now
   * (its path relative to the codebook) so a missing or foreign file is an error at its line.
   */
  private modelIndicator(e: Entries, node: Node, ctx: IndicatorContext, what: string): undefined {
    const modelNode = e.get('model')!;
    if (!ctx.models || what !== 'indicators') {
      this.error(modelNode.key, 'bad-indicator', `a model cannot be used in \`${what}\``, 'list the model under the dimension\'s `indicators:`');
      return undefined;
    }
    const extra = [...e.keys()].find((k) => !MODEL_KEYS.includes(k));
    if (extra) {
      this.error(e.get(extra)!.key, 'bad-indicator', `\`${extra}\` does not apply to a model indicator`, `a model codes the whole turn; it takes ${MODEL_KEYS.join(', ')}`);
      return undefined;
    }
    const written = this.string(modelNode.value, 'model');
    if (written === undefined) return undefined;
    const path = resolve(dirname(this.file), written);
    const hint = 'a model file is the JSON that `relcode learn … -o FILE` writes; its path is relative to the codebook';
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      this.error(modelNode.value, code ? 'model-not-found' : 'bad-model', code ? `cannot read model file "${written}": ${code}` : `model file "${written}" is not JSON`, hint);
      return undefined;
    }
    const found = modelFor(json, ctx.dimension ?? '');
    if ('problem' in found) {
      this.error(modelNode.value, found.ruleId, `model file "${written}" ${found.problem}`, found.ruleId === 'model-version' ? 'train it again with this relcode: `relcode learn`' : hint);
      return undefined;
    }
    const threshold = e.has('threshold') ? this.number(e.get('threshold')!.value, 'threshold', { min: 0, max: 1, exclusiveMin: true }) : found.model.threshold;
    const weight = e.has('weight') ? this.number(e.get('weight')!.value, 'weight', { min: 0, exclusiveMin: true }) : 1;
    const note = e.has('note') ? this.string(e.get('note')!.value, 'note') : undefined;
    const roles = this.indicatorRoles(e, ctx);
    if (threshold === undefined || weight === undefined) return undefined;
    const pos = this.place(node);
    ctx.models.push({ source: `model:${written}`, ...pos, path, model: found.model, threshold, weight, roles, ...(note ? { note } : {}) });
    return undefined;
  }

  /** Parses a phrase; a syntax error is reported at its column inside the YAML scalar. */
  private phrase(source: string, node: Node, stem: boolean): RulePhrase | undefined {
    const pos = this.place(node);
    const quoted = yaml().isScalar(node) && (node.type === yaml().Scalar.QUOTE_DOUBLE || node.type === yaml().Scalar.QUOTE_SINGLE) ? 1 : 0;
    try {
      return { source, seq: parsePhrase(source), line: pos.line, stem };
    } catch (err) {
      if (!(err instanceof PhraseError)) throw err;
      this.diagnostics.push(
        diagnostic('error', 'bad-phrase', { file: this.file, line: pos.line, col: pos.col + quoted + err.index }, `${err.message} in phrase "${source}"`, err.hint),
      );
      return undefined;
    }
  }

  /** `near: PHRASE` or `near: { phrase: PHRASE, within: N }` */
  private near(node: Node | null, stem: boolean): Near | undefined {
    const n = this.resolve(node);
    if (yaml().isScalar(n)) {
      const source = this.string(n, 'near');
      const p = source === undefined ? undefined : this.phrase(source, n, stem);
      return p && { ...p, within: DEFAULT_NEAR };
    }
    const e = this.entries(node, NEAR_KEYS, '`near`');
    if (!e) return undefined;
    const phraseNode = e.get('phrase')?.value ?? null;
    const source = this.required(e, 'phrase', node, '`near`', (v) => this.string(v, 'phrase'));
    const p = source === undefined ? undefined : this.phrase(source, this.resolve(phraseNode)!, stem);
    const within = e.has('within') ? this.number(e.get('within')!.value, 'within', { min: 0, max: 50, integer: true }) : DEFAULT_NEAR;
    return p && { ...p, within: within ?? DEFAULT_NEAR };
  }

  /** `context: { previous: { role, phrase, coded } }` */
  private context(node: Node | null, stem: boolean): Context | undefined {
    const e = this.entries(node, CONTEXT_KEYS, '`context`');
    const previousNode = e?.get('previous')?.value ?? null;
    if (!e || !previousNode) {
      if (e) this.error(node, 'missing-key', '`context` needs `previous`', 'write `context: { previous: { role: client } }`');
      return undefined;
    }
    const p = this.entries(previousNode, PREVIOUS_KEYS, '`context.previous`');
    if (!p) return undefined;
    if (p.size === 0) {
      this.error(previousNode, 'bad-value', '`context.previous` needs at least one of role, phrase, coded', 'e.g. `previous: { role: client, phrase: "(feel*|felt)" }`');
      return undefined;
    }
    const context: Context = { line: this.place(previousNode).line };
    const role = p.get('role');
    if (role) context.role = this.roles(role.value);
    const phrase = p.get('phrase');
    if (phrase) {
      const source = this.string(phrase.value, 'phrase');
      const parsed = source === undefined ? undefined : this.phrase(source, this.resolve(phrase.value)!, stem);
      if (parsed) context.phrase = parsed;
    }
    const coded = p.get('coded');
    if (coded) {
      context.coded = this.stringList(coded.value, 'coded') ?? [];
      for (const id of context.coded) this.codedRefs.push({ id, node: coded.value! });
    }
    return context;
  }

  private examples(node: Node | null, defaultRole: Role): Dimension['examples'] {
    const out: Dimension['examples'] = { coded: [], not_coded: [] };
    const e = this.entries(node, EXAMPLES_KEYS, '`examples`');
    if (!e) return out;
    for (const kind of EXAMPLES_KEYS as ('coded' | 'not_coded')[]) {
      const list = e.get(kind)?.value ?? null;
      if (!list) continue;
      const seq = this.resolve(list);
      if (!yaml().isSeq(seq)) {
        this.error(list, 'bad-value', `\`${kind}\` must be a list of example turns`, 'write each example on its own line starting with "- "');
        continue;
      }
      for (const item of seq.items as Node[]) {
        const ex = this.example(item, defaultRole);
        if (ex) out[kind].push(ex);
      }
    }
    return out;
  }

  private example(node: Node, defaultRole: Role): Example | undefined {
    const pos = this.place(node);
    if (yaml().isScalar(this.resolve(node))) {
      const text = this.string(node, 'example');
      return text === undefined ? undefined : { text, role: defaultRole, ...pos };
    }
    const e = this.entries(node, EXAMPLE_KEYS, 'an example');
    if (!e) return undefined;
    const text = this.required(e, 'text', node, 'an example', (n) => this.string(n, 'text'));
    const role = (e.has('role') ? this.roles(e.get('role')!.value)?.[0] : defaultRole) ?? defaultRole;
    const previous = e.has('previous') ? this.previousExample(e.get('previous')!.value, role) : undefined;
    return text === undefined ? undefined : { text, role, ...(previous ? { previous } : {}), ...pos };
  }

  /** The turn before an example: its text, or `{ text, role }`; the role defaults to the other side. */
  private previousExample(node: Node | null, role: Role): Example['previous'] {
    const other: Role = role === 'client' ? 'therapist' : 'client';
    if (yaml().isScalar(this.resolve(node))) {
      const text = this.string(node, 'previous');
      return text === undefined ? undefined : { text, role: other };
    }
    const e = this.entries(node, PREVIOUS_EXAMPLE_KEYS, '`previous`');
    if (!e) return undefined;
    const text = this.required(e, 'text', node, '`previous`', (n) => this.string(n, 'text'));
    const r = e.has('role') ? this.roles(e.get('role')!.value)?.[0] : other;
    return text === undefined ? undefined : { text, role: r ?? other };
  }

  private rolePatterns(node: Node | null): RolePatterns | undefined {
    const e = this.entries(node, [...ROLES], '`roles`');
    if (!e) return undefined;
    const out: RolePatterns = { therapist: [], client: [] };
    for (const role of ROLES) {
      const v = e.get(role);
      if (v) out[role] = this.stringList(v.value, `roles.${role}`)?.map((s) => s.toLowerCase()) ?? [];
    }
    return out;
  }

  private negation(node: Node | null, base: NegationRule): NegationRule {
    const flag = this.resolve(node);
    // `negation: false` turns the rule off for a dimension; `true` keeps the inherited one
    if (yaml().isScalar(flag) && typeof flag.value === 'boolean') return flag.value ? base : { ...base, window: 0 };
    const e = this.entries(node, NEGATION_KEYS, '`negation`');
    if (!e) return base;
    const rule = { ...base };
    const cues = e.get('cues');
    if (cues) {
      const list = this.stringList(cues.value, 'cues') ?? [];
      rule.cues = [];
      for (const cue of list) {
        const tokens = tokenize(cue).tokens.map((t) => t.norm);
        if (tokens.length !== 1) {
          this.error(cues.value, 'bad-negation', `negation cue "${cue}" must be a single word`, "cues are single tokens such as `not`, `never` or `n't`");
        } else rule.cues.push(tokens[0]!);
      }
    }
    const window = e.get('window');
    if (window) rule.window = this.number(window.value, 'window', { min: 0, max: 20, integer: true }) ?? base.window;
    return rule;
  }

  private roles(node: Node | null): Role[] | undefined {
    const list = this.stringList(node, 'roles');
    if (!list) return undefined;
    const bad = list.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (bad.length) {
      this.error(node, 'bad-roles', `unknown role ${bad.map((b) => `"${b}"`).join(', ')}`, `roles are ${ROLES.join(', ')}`);
      return undefined;
    }
    return list as Role[];
  }

  // ---- generic node checks ----

  private entries(node: Node | null, allowed: string[], where: string): Entries | undefined {
    const map = this.resolve(node);
    if (!yaml().isMap(map)) {
      this.error(node, 'bad-value', `${where} must be a mapping of keys to values`, `expected keys: ${allowed.join(', ')}`);
      return undefined;
    }
    const out: Entries = new Map();
    for (const pair of map.items) {
      const keyNode = pair.key as Node;
      const key = yaml().isScalar(keyNode) ? String(keyNode.value) : '';
      if (!allowed.includes(key)) {
        const guess = didYouMean(key, allowed);
        this.error(keyNode, 'unknown-key', `unknown key "${key}" in ${where}${guess ? ` (did you mean "${guess}"?)` : ''}`, `allowed keys: ${allowed.join(', ')}`);
        continue;
      }
      out.set(key, { key: keyNode, value: (pair.value as Node | null) ?? null });
    }
    return out;
  }

  private required<T>(e: Entries, key: string, parent: Node | null, where: string, read: (n: Node) => T | undefined): T | undefined {
    const entry = e.get(key);
    if (!entry || entry.value === null) {
      this.error(entry?.key ?? parent, 'missing-key', `${where} needs \`${key}\``, `add \`${key}:\``);
      return undefined;
    }
    return read(entry.value);
  }

  private resolve(node: Node | null): Node | null {
    if (node && yaml().isAlias(node)) {
      if (++this.aliases > MAX_ALIAS_RESOLUTIONS) {
        this.error(node, 'alias-limit', `more than ${MAX_ALIAS_RESOLUTIONS} YAML aliases`, 'a codebook needs few aliases; this looks like an alias bomb');
        return null;
      }
      return (node.resolve(this.doc) as Node | undefined) ?? null;
    }
    return node;
  }

  private scalarText(node: Node | null, what: string): string | undefined {
    const n = this.resolve(node);
    if (yaml().isScalar(n) && n.value !== null && typeof n.value !== 'object') return String(n.value);
    this.error(node, 'bad-value', `\`${what}\` must be a single value`, `write \`${what}: ...\` on one line`);
    return undefined;
  }

  private string(node: Node | null, what: string): string | undefined {
    const n = this.resolve(node);
    if (yaml().isScalar(n) && typeof n.value === 'string' && n.value.trim() !== '') return n.value.trim();
    this.error(node, 'bad-value', `\`${what}\` must be non-empty text`, 'quote the value if it starts with a special character such as [ { * & ! or #');
    return undefined;
  }

  private stringList(node: Node | null, what: string): string[] | undefined {
    const n = this.resolve(node);
    if (yaml().isScalar(n)) {
      const s = this.string(n, what);
      return s === undefined ? undefined : [s];
    }
    if (!yaml().isSeq(n)) {
      this.error(node, 'bad-value', `\`${what}\` must be a list of text`, `write \`${what}: [a, b]\``);
      return undefined;
    }
    const out: string[] = [];
    for (const item of n.items as Node[]) {
      const s = this.string(item, what);
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  private bool(node: Node | null, what: string): boolean | undefined {
    const n = this.resolve(node);
    if (yaml().isScalar(n) && typeof n.value === 'boolean') return n.value;
    this.error(node, 'bad-value', `\`${what}\` must be true or false`, `write \`${what}: true\` or \`${what}: false\``);
    return undefined;
  }

  private number(node: Node | null, what: string, range: { min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean }): number | undefined {
    const n = this.resolve(node);
    const v = yaml().isScalar(n) ? n.value : undefined;
    const ok =
      typeof v === 'number' && Number.isFinite(v) &&
      (range.min === undefined || (range.exclusiveMin ? v > range.min : v >= range.min)) &&
      (range.max === undefined || v <= range.max) &&
      (!range.integer || Number.isInteger(v));
    if (ok) return v;
    const bounds = [range.min !== undefined ? (range.exclusiveMin ? `> ${range.min}` : `>= ${range.min}`) : '', range.max !== undefined ? `<= ${range.max}` : '']
      .filter(Boolean)
      .join(' and ');
    this.error(node, 'bad-value', `\`${what}\` must be ${range.integer ? 'a whole number' : 'a number'}${bounds ? ` ${bounds}` : ''}`, `e.g. \`${what}: ${range.integer ? 3 : 1}\``);
    return undefined;
  }

  private place(node: Node | null): { line: number; col: number } {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, col: 1 };
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }

  private error(node: Node | null, ruleId: string, message: string, hint: string): void {
    this.diagnostics.push(diagnostic('error', ruleId, { file: this.file, ...this.place(node) }, message, hint));
  }
}

/** The allowed key closest to a misspelt one (Levenshtein distance up to 2, or a prefix). */
export function didYouMean(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
