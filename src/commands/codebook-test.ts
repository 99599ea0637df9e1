// STUB: being implemented (issue 3). Signatures are the contract with src/cli/main.ts.
export interface CodebookTestOptions {
  codebook?: string;
  /** path of a gold spec (YAML) */
  gold?: string;
}

export interface CodebookTestReport {
  passed: boolean;
}

export async function runCodebookTest(_options: CodebookTestOptions): Promise<CodebookTestReport> {
  throw new Error('not implemented');
}

export function renderTestReport(_report: CodebookTestReport, _options: { color: boolean }): string {
  throw new Error('not implemented');
}

export function toJUnit(_report: CodebookTestReport): string {
  throw new Error('not implemented');
}

export function toGithubAnnotations(_report: CodebookTestReport): string {
  throw new Error('not implemented');
}
