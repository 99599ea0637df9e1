/**
 * A dictionary read from a LIWC .dic/.dicx or a quanteda YAML file, before it
 * becomes a codebook: categories and the words or phrases listed under them,
 * each with the line it came from.
 */
export type DictionaryFormat = 'liwc-dic' | 'liwc-dicx' | 'quanteda';

export interface DictionaryCategory {
  /** key parts: one for LIWC, the nested keys for quanteda */
  path: string[];
  /** the category's id in the file (a LIWC .dic number), when it has one */
  source?: string;
  line: number;
}

export interface DictionaryEntry {
  /** as written in the dictionary */
  text: string;
  line: number;
  /** indexes into `categories`, in ascending order */
  categories: number[];
}

export interface Dictionary {
  file: string;
  format: DictionaryFormat;
  categories: DictionaryCategory[];
  /** in file order; LIWC lists each distinct word once */
  entries: DictionaryEntry[];
}

export const FORMAT_NAMES: Record<DictionaryFormat, string> = {
  'liwc-dic': 'LIWC .dic',
  'liwc-dicx': 'LIWC-22 .dicx',
  quanteda: 'quanteda YAML dictionary',
};
