/**
 * All of the command-line wiring, in one place. Each action parses its options,
 * calls a run function from src/commands, and maps the result to stdout,
 * stderr and an exit code: 0 ok, 1 a check failed, 2 bad usage or input.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { formatDiagnostic, InputError, type Diagnostic } from '../diagnostics.js';
import { LEVELS, runCode, type Level } from '../commands/code.js';
import { runValidate } from '../commands/validate.js';
import { FORMATS, type Format } from '../output/writers.js';
import { parseRoleOption } from '../transcript/roles.js';
import type { InputFormat } from '../transcript/read.js';
import { createTerminal, type Terminal } from './terminal.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export async function main(argv: string[], term: Terminal = createTerminal()): Promise<number> {
  const program = buildProgram(term);
  try {
    await program.parseAsync(argv);
    return term.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof InputError) {
      for (const d of err.diagnostics) term.diagnostic(d);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return term.exitCode;
    term.error(`relcode: internal error: ${(err as Error).stack ?? String(err)}\nThis is a bug in relcode; please report it with the command you ran.`);
    return 2;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildProgram(term: Terminal): Command {
  const program = new Command('relcode')
    .description('Code psychotherapy transcripts against the dimensions of the therapeutic relationship.')
    .version(pkg.version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => term.out.stream.write(s), writeErr: (s) => term.error(s.trimEnd()) });

  program
    .command('code')
    .description('code transcripts turn by turn and write counts, rates and excerpts')
    .argument('[inputs...]', 'transcript files, directories, globs, or - for stdin (the default when piped)')
    .option('-c, --codebook <file>', 'YAML codebook (default: the bundled relationship codebook)')
    .addOption(new Option('-l, --level <level>', 'one row per transcript × dimension, per turn, or per match').choices(LEVELS).default('summary'))
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices(FORMATS))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--by-role', 'summary rows per role as well', false)
    .option('--role <label=role>', 'give a speaker label a role: therapist, client or other (repeatable)', collect, [])
    .addOption(new Option('--input-format <format>', 'transcript format').choices(['auto', 'text', 'csv', 'tsv', 'jsonl']).default('auto'))
    .option('--transcript-col <name>', 'column (or JSON field) holding the transcript id')
    .option('--turn-col <name>', 'column holding the turn number')
    .option('--speaker-col <name>', 'column holding the speaker label')
    .option('--text-col <name>', 'column holding the turn text')
    .option('--excerpts <n>', 'excerpts per dimension in the table view', (v) => positiveInt(v, '--excerpts'), 3)
    .option('-q, --quiet', 'no summary line on stderr', false)
    .action(async (given: string[], o) => {
      const inputs = given.length ? given : stdinOrUsage(term);
      const format: Format = o.format ?? formatFor(o.output, term.stdoutIsTTY);
      const out = o.output ? term.fileOutput(o.output, inputs) : term.out;
      const report = o.quiet ? quietReport(term) : (d: Diagnostic) => term.diagnostic(d);
      await runCode(
        {
          inputs,
          codebook: o.codebook,
          level: o.level as Level,
          format,
          byRole: o.byRole,
          roles: parseRoleOption(o.role),
          read: {
            inputFormat: o.inputFormat as InputFormat,
            columns: { transcript: o.transcriptCol, turn: o.turnCol, speaker: o.speakerCol, text: o.textCol },
          },
          excerpts: o.excerpts,
          color: term.color && !o.output,
          width: term.width,
        },
        out.stream,
        report,
      );
      await out.commit();
    });

  const codebook = program.command('codebook').description('check and inspect codebooks');
  codebook
    .command('validate')
    .description('check a codebook and report every problem as file:line:col')
    .argument('[file]', 'codebook (default: the bundled one)')
    .action(async (file: string | undefined) => {
      const r = await runValidate(file);
      term.out.stream.write(
        `${r.codebook.file}: ok: "${r.codebook.name}" ${r.codebook.version}, ${r.codebook.dimensions.length} dimensions, ${r.indicators} indicators, ${r.examples} examples\n`,
      );
    });

  return program;
}

/** Warnings and errors still go out under --quiet; the info lines do not. */
function quietReport(term: Terminal) {
  return (d: Diagnostic) => {
    if (d.severity !== 'info') term.diagnostic(d);
  };
}

function stdinOrUsage(term: Terminal): string[] {
  if (!term.stdinIsTTY) return ['-'];
  throw new InputError([{ severity: 'error', ruleId: 'no-input', file: '<command line>', message: 'no transcripts given', hint: 'name transcript files or directories, e.g. `relcode code sessions/`, or pipe one in with `-`' }]);
}

function formatFor(output: string | undefined, tty: boolean): Format {
  const ext = output?.toLowerCase().match(/\.(csv|tsv|json|jsonl)$/)?.[1];
  if (ext) return ext as Format;
  return tty && !output ? 'table' : 'csv';
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError([{ severity: 'error', ruleId: 'bad-option', file: '<command line>', message: `${flag} needs a whole number, got "${value}"`, hint: `e.g. ${flag} 3` }]);
  return n;
}

export { formatDiagnostic };
