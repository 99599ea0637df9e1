import type { Role } from '../transcript/model.js';
import type { RolePatterns } from '../transcript/roles.js';
import type { PhraseNode } from './phrase.js';
import type { Automaton } from '../coding/automaton.js';
import type { TrainedModel } from '../learn/model.js';

export interface NegationRule {
  /** normalised single-token cues (`n't` becomes `not`) */
  cues: string[];
  /** how many tokens before a match are searched, within its clause */
  window: number;
}

export type Pattern = { kind: 'phrase'; seq: PhraseNode[] } | { kind: 'regex'; re: RegExp };

/** A phrase used inside a rule (`near`, `context`), kept with its place for explain and errors. */
export interface RulePhrase {
  source: string;
  seq: PhraseNode[];
  line: number;
  stem: boolean;
}

/** Another phrase in the same sentence, at most `within` tokens from the match. */
export interface Near extends RulePhrase {
  within: number;
}

/** Conditions on the previous turn of the transcript; all that are given must hold. */
export interface Context {
  line: number;
  /** the previous turn's speaker has one of these roles */
  role?: Role[];
  /** the previous turn contains this phrase (no negation rule) */
  phrase?: RulePhrase;
  /** the previous turn was coded for one of these dimensions */
  coded?: string[];
}

export interface Indicator {
  /** as written in the codebook: the phrase, or `regex:<pattern>` */
  source: string;
  line: number;
  col: number;
  pattern: Pattern;
  weight: number;
  /** speakers it can code; always a subset of its dimension's roles */
  roles: Role[];
  stem: boolean;
  /** whether the negation rule applies: false when turned off or when the phrase itself has a cue */
  negation: boolean;
  /** true: the match's sentence must end with `?`; false: it must not */
  question?: boolean;
  near?: Near;
  context?: Context;
  note?: string;
}

/** `{ model: FILE, threshold }`: a trained model that matches the whole turn when its probability reaches the threshold. */
export interface ModelIndicator {
  /** `model:<path as written>` */
  source: string;
  line: number;
  col: number;
  /** the model file, resolved against the codebook's directory */
  path: string;
  model: TrainedModel;
  threshold: number;
  weight: number;
  /** speakers it can code; always a subset of its dimension's roles */
  roles: Role[];
  note?: string;
}

export interface Example {
  text: string;
  role: Role;
  /** the turn before the example, for context rules */
  previous?: { text: string; role: Role };
  line: number;
  col: number;
}

export interface Dimension {
  id: string;
  label: string;
  definition: string;
  roles: Role[];
  negation: NegationRule;
  indicators: Indicator[];
  /** trained models among its indicators, kept apart: they code whole turns, not token spans */
  models?: ModelIndicator[];
  /** a condition on the previous turn that every indicator of the dimension must meet */
  context?: Context;
  /** the turn is coded when the weights of its surviving matches add up to at least this */
  threshold?: number;
  /** phrases that veto an overlapping match of this dimension */
  exclude: Indicator[];
  examples: { coded: Example[]; not_coded: Example[] };
  line: number;
}

export interface Codebook {
  /** path it was read from */
  file: string;
  name: string;
  version: string;
  language: string;
  description?: string;
  roles: RolePatterns;
  dimensions: Dimension[];
  /** its phrases already compiled, when loaded from a build-time snapshot */
  automaton?: Automaton;
}
