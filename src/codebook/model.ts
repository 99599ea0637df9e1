import type { Role } from '../transcript/model.js';
import type { RolePatterns } from '../transcript/roles.js';
import type { PhraseNode } from './phrase.js';

export interface NegationRule {
  /** normalised single-token cues (`n't` becomes `not`) */
  cues: string[];
  /** how many tokens before a match are searched, within its clause */
  window: number;
}

export type Pattern = { kind: 'phrase'; seq: PhraseNode[] } | { kind: 'regex'; re: RegExp };

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
  note?: string;
}

export interface Example {
  text: string;
  role: Role;
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
}
