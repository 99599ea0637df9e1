/**
 * The values of the CLI's choice options, in a module with no imports, so the
 * command line can be parsed (and --help, --version answered) before any
 * heavy module loads.
 */
export const LEVELS = ['summary', 'turn', 'match'] as const;
export type Level = (typeof LEVELS)[number];

export const FORMATS = ['table', 'csv', 'tsv', 'json', 'jsonl'] as const;
export type Format = (typeof FORMATS)[number];

export const INPUT_FORMATS = ['auto', 'text', 'csv', 'tsv', 'jsonl', 'json', 'docx', 'vtt', 'srt', 'chat', 'qdpx'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
