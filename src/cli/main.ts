/**
 * All of the command-line wiring, in one place. Each action parses its options,
 * calls a run function from src/commands, and maps the result to stdout,
 * stderr and an exit code: 0 ok, 1 a check failed, 2 bad usage or input.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { formatDiagnostic, InputError, type Diagnostic } from '../diagnostics.js';
import { FORMATS, INPUT_FORMATS, LEVELS, type Format, type InputFormat, type Level } from '../choices.js';
import { createTerminal, type Terminal } from './terminal.js';

// Commands load their modules when they run, so start-up stays light.
const roles = async (values: string[]) => (await import('../transcript/roles.js')).parseRoleOption(values);

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export async function main(argv: string[], term: Terminal = createTerminal()): Promise<number> {
  const program = buildProgram(term, argv[2]);
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

/**
 * The program with its commands. `first` is the first word of the command line:
 * when it names a command, only that command is defined, because commander
 * builds every option of every command up front (a few ms of each run).
 * `--help`, `--version`, `help` and an unknown command get them all.
 */
function buildProgram(term: Terminal, first?: string): Command {
  const program = new Command('relcode')
    .description('Code psychotherapy transcripts against the dimensions of the therapeutic relationship.')
    .version(pkg.version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => term.out.stream.write(s), writeErr: (s) => term.error(s.trimEnd()) });
  const only = first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
  for (const [name, define] of Object.entries(COMMANDS)) {
    if (only === undefined || name === only) define(program, term);
  }
  return program;
}

/** The top-level commands, in the order `--help` lists them. */
const COMMANDS: Record<string, (program: Command, term: Terminal) => void> = {
  code: defineCode,
  merge: defineMerge,
  explain: defineExplain,
  compare: defineCompare,
  export: defineExport,
  import: defineImport,
  report: defineReport,
  suggest: defineSuggest,
  learn: defineLearn,
  codebook: defineCodebook,
};

function defineCode(program: Command, term: Terminal): void {
  withReadOptions(program.command('code'))
    .description('code transcripts turn by turn and write counts, rates and excerpts')
    .argument('[inputs...]', 'transcript files, directories, globs, or - for stdin (the default when piped)')
    .option('-c, --codebook <file>', 'YAML codebook (default: the bundled relationship codebook)')
    .addOption(new Option('-l, --level <level>', 'one row per transcript × dimension, per turn, or per match').choices(LEVELS).default('summary'))
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv; qdpx: a REFI-QDA project, needs -o)').choices([...FORMATS, 'qdpx']))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addOption(new Option('--qdpx-unit <unit>', 'with --format qdpx: code each turn, or each match, as a selection').choices(['turn', 'match']).default('turn'))
    .option('--by-role', 'summary rows per role as well', false)
    .option('--excerpts <n>', 'excerpts per dimension in the table view', (v) => positiveInt(v, '--excerpts'), 3)
    .option('-q, --quiet', 'no summary line or progress bar on stderr', false)
    .option('-j, --jobs <n>', 'threads that code files in parallel, the main thread and N − 1 workers (default: one per core, at most one per 512 KB of input; 1: no workers)', (v) => atLeastOne(v, '--jobs'))
    .option('--shard <k/n>', 'code only shard K of N: file i of the inputs goes to shard i mod N + 1; with -o, also writes FILE.shard.json for `relcode merge`')
    .option('--redact', 'replace personal identifiers (names, dates, phones, addresses, record numbers…) with placeholders in every text written; coding uses the original text', false)
    .option('--names <file>', 'more names for --redact to replace, one a line (implies --redact)')
    .option('--raw-cells', "CSV/TSV: write text cells that start with = + - @ as they are (default: a leading ' so spreadsheets do not run them)", false)
    .action(async (given: string[], o) => {
      const { runCode } = await import('../commands/code.js');
      const shard = o.shard === undefined ? undefined : (await import('../commands/shard.js')).parseShard(o.shard);
      const inputs = given.length ? given : stdinOrUsage(term);
      const format: Format | 'qdpx' = o.format ?? formatFor(o.output, term.stdoutIsTTY);
      if (format === 'qdpx' && !o.output) throw usage('--format qdpx writes a zip file and needs -o FILE', 'e.g. `relcode code sessions/ --format qdpx -o project.qdpx`');
      const out = o.output ? term.fileOutput(o.output, [...inputs, ...alsoRead(o)]) : term.out;
      // the bar shares the terminal with stdout only when stdout goes elsewhere
      const progress = o.quiet || (term.stdoutIsTTY && !o.output) ? undefined : (await import('./progress.js')).startProgress(process.stderr);
      const toTerm = o.quiet ? quietReport(term) : (d: Diagnostic) => term.diagnostic(d);
      const report = (d: Diagnostic) => {
        progress?.clear();
        toTerm(d);
      };
      if (shard && !o.output) {
        report({ severity: 'warning', ruleId: 'shard-without-output', file: '<command line>', message: '--shard without -o: `relcode merge` needs the FILE.shard.json that -o FILE writes beside the output', hint: `e.g. --shard ${shard.index}/${shard.count} -o out/turns.${shard.index}.csv` });
      }
      const totals = await runCode(
        {
          inputs,
          codebook: o.codebook,
          level: o.level as Level,
          format,
          byRole: o.byRole,
          roles: await roles(o.role),
          read: readOptions(o),
          excerpts: o.excerpts,
          qdpxUnit: o.qdpxUnit,
          color: term.color && !o.output,
          width: term.width,
          jobs: o.jobs,
          shard,
          ...(o.redact || o.names ? { redact: { names: o.names } } : {}),
          rawCells: o.rawCells,
          ...(progress ? { onProgress: progress.update } : {}),
        },
        out.stream,
        report,
      ).finally(() => progress?.stop());
      await out.commit();
      if (o.output && totals.shardIndex) await (await import('../commands/shard.js')).writeShardIndex(o.output, totals.shardIndex);
    });
}

function defineMerge(program: Command, term: Terminal): void {
  program
    .command('merge')
    .description('combine the outputs of `code --shard K/N` runs into exactly what one run would have written')
    .argument('<files...>', 'every shard\'s output (csv, tsv, json or jsonl, each with its FILE.shard.json), in any order')
    .addOption(new Option('-f, --format <format>', 'the shard outputs\' format (default: by extension, then content)').choices(['csv', 'tsv', 'json', 'jsonl', 'table']))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no summary line on stderr', false)
    .action(async (files: string[], o) => {
      const { runMerge } = await import('../commands/merge.js');
      const out = o.output ? term.fileOutput(o.output, files) : term.out;
      await runMerge({ files, format: o.format }, out.stream, o.quiet ? quietReport(term) : (d) => term.diagnostic(d));
      await out.commit();
    });
}

function defineExplain(program: Command, term: Terminal): void {
  withReadOptions(program.command('explain'))
    .description('show why one turn was or was not coded: the indicators that matched and every one a rule dropped')
    .argument('<file>', 'transcript file')
    .requiredOption('--turn <n>', 'the turn number, as in `code --level turn` output', (v) => positiveInt(v, '--turn'))
    .option('--transcript <id>', 'the transcript, when the file holds several')
    .option('-d, --dimension <id>', 'only this dimension')
    .option('-c, --codebook <file>', 'YAML codebook (default: the bundled relationship codebook)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (file: string, o) => {
      const { runExplain } = await import('../commands/explain.js');
      const { renderExplain } = await import('../output/explain.js');
      const r = await runExplain(
        { file, turn: o.turn, transcript: o.transcript, dimension: o.dimension, codebook: o.codebook, roles: await roles(o.role), read: readOptions(o) },
        (d) => term.diagnostic(d),
      );
      term.out.stream.write(o.format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : renderExplain(r, { color: term.color }));
    });
}

function defineCompare(program: Command, term: Terminal): void {
  program
    .command('compare')
    .description('agreement between codings per dimension: kappa, alpha, AC1, F1, and the disagreements')
    .argument('<codings...>', 'turn-level (`code --level turn`) or long (transcript,turn,dimension) CSV codings; - for stdin')
    .option('--dimensions <ids>', 'only these dimensions (comma-separated)', (v) => v.split(',').map((x) => x.trim()).filter(Boolean))
    .addOption(new Option('--role <role>', 'only the turns of this role (needs a turn-level coding with a role column)').choices(['therapist', 'client', 'other']))
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices(['table', 'csv', 'json']))
    .option('--units <file>', 'a turn-level coding that gives the set of units, when every coding compared is long')
    .option('--pairwise', 'with three or more codings, CSV gives the pairwise rows instead of the overall ones', false)
    .option('--disagreements [n]', 'list the disagreeing turns with their text (default 20)')
    .option('-c, --codebook <file>', 'codebook whose matches are highlighted in the disagreements (default: the bundled one)')
    .option('--min-kappa <x>', 'exit 1 when a dimension\'s kappa is below X', (v) => fraction(v, '--min-kappa'))
    .option('--min-f1 <x>', 'exit 1 when a dimension\'s F1 is below X', (v) => fraction(v, '--min-f1'))
    .option('--min-alpha <x>', 'exit 1 when a dimension\'s alpha is below X', (v) => fraction(v, '--min-alpha'))
    .option('--raw-cells', "CSV: write text cells that start with = + - @ as they are (default: a leading ')", false)
    .action(async (files: string[], o) => {
      const { runCompare, gateFailures } = await import('../commands/compare.js');
      const { AGREEMENT_COLUMNS, agreementRecord, OVERALL_COLUMNS, renderComparison } = await import('../output/compare.js');
      const { createWriter } = await import('../output/writers.js');
      const shown = o.disagreements === undefined ? 0 : o.disagreements === true ? 20 : positiveInt(o.disagreements, '--disagreements');
      const r = await runCompare({ files, dimensions: o.dimensions, role: o.role, disagreements: shown, codebook: o.codebook, units: o.units }, (d) => term.diagnostic(d));
      const format = o.format ?? (term.stdoutIsTTY ? 'table' : 'csv');
      if (format === 'table') term.out.stream.write(renderComparison(r, { color: term.color, width: term.width }));
      else if (format === 'json') term.out.stream.write(`${JSON.stringify({ ...r, disagreements: r.shown, shown: undefined }, null, 2)}\n`);
      else {
        const overall = r.overall && !o.pairwise;
        const columns = overall ? [...OVERALL_COLUMNS] : r.pairs.length > 1 ? ['a', 'b', ...AGREEMENT_COLUMNS] : [...AGREEMENT_COLUMNS];
        const writer = createWriter('csv', columns, term.out.stream, {}, { raw: o.rawCells });
        if (overall) for (const row of r.overall!) writer.write(agreementRecord(row));
        else for (const pair of r.pairs) for (const row of pair.rows) writer.write({ a: pair.a, b: pair.b, ...agreementRecord(row) });
        await writer.end();
      }
      const failures = gateFailures(r, { minKappa: o.minKappa, minF1: o.minF1, minAlpha: o.minAlpha });
      for (const f of failures) term.error(`relcode: below the bar: ${f}`);
      if (failures.length) term.exitCode = 1;
    });
}

function defineExport(program: Command, term: Terminal): void {
  withReadOptions(program.command('export').command('qdpx'))
    .description('code transcripts and write a REFI-QDA project (.qdpx) for NVivo, MAXQDA, ATLAS.ti or QualCoder')
    .argument('<inputs...>', 'transcript files, directories or globs')
    .requiredOption('-o, --output <file>', 'the .qdpx file to write')
    .option('-c, --codebook <file>', 'YAML codebook (default: the bundled relationship codebook)')
    .addOption(new Option('--qdpx-unit <unit>', 'code each turn, or each match, as a selection').choices(['turn', 'match']).default('turn'))
    .option('--redact', 'replace personal identifiers in the sources with placeholders; selections follow', false)
    .option('--names <file>', 'more names for --redact to replace, one a line (implies --redact)')
    .action(async (inputs: string[], o) => {
      const { runCode } = await import('../commands/code.js');
      const out = term.fileOutput(o.output, [...inputs, ...alsoRead(o)]);
      await runCode(
        { inputs, codebook: o.codebook, level: 'turn', format: 'qdpx', qdpxUnit: o.qdpxUnit, byRole: false, roles: await roles(o.role), read: readOptions(o), excerpts: 0, color: false, width: term.width,
          ...(o.redact || o.names ? { redact: { names: o.names } } : {}) },
        out.stream,
        (d) => term.diagnostic(d),
      );
      await out.commit();
    });
}

function defineImport(program: Command, term: Terminal): void {
  program
    .command('import')
    .command('qdpx')
    .description("read the coders' selections from a REFI-QDA project as long codings (transcript,turn,dimension), one per coder")
    .argument('<project>', 'the .qdpx file')
    .requiredOption('--map <file>', "YAML mapping the project's code names to dimension ids")
    .option('--user <name>', 'only this coder (required with several coders unless -o DIR is given)')
    .option('-o, --output <dir>', 'write <coder>.csv for each coder into DIR')
    .option('--raw-cells', "write text cells that start with = + - @ as they are (default: a leading ')", false)
    .action(async (file: string, o) => {
      const { runImportQdpx } = await import('../commands/import-qdpx.js');
      const { escapeFormula } = await import('../output/writers.js');
      const r = await runImportQdpx({ file, map: o.map, user: o.user }, (d) => term.diagnostic(d));
      const longCsv = (rows: LongRow[]) => longCsvOf(rows, o.rawCells ? (s) => s : escapeFormula);
      if (o.output) {
        for (const c of r.codings) {
          const out = term.fileOutput(`${o.output}/${safeName(c.user)}.csv`, [file, o.map]);
          out.stream.write(longCsv(c.rows));
          await out.commit();
        }
        term.error(`relcode: wrote ${r.codings.map((c) => `${o.output}/${safeName(c.user)}.csv (${c.rows.length} rows)`).join(', ')}`);
      } else if (r.codings.length === 1) {
        term.out.stream.write(longCsv(r.codings[0]!.rows));
      } else {
        throw usage(`the project has ${r.codings.length} coders: ${r.codings.map((c) => c.user).join(', ')}`, 'choose one with --user NAME, or write one CSV each with -o DIR');
      }
    });
}

function defineReport(program: Command, term: Terminal): void {
  withReadOptions(program.command('report'))
    .description('one self-contained, offline HTML report of a corpus: rates, heatmap, timelines, excerpts, agreement')
    .argument('<inputs...>', 'transcript files, directories or globs')
    .requiredOption('-o, --output <file>', 'the .html file to write')
    .option('-c, --codebook <file>', 'YAML codebook (default: the bundled relationship codebook)')
    .option('--human <coding>', 'a human coding (long or turn-level CSV): adds agreement with a forest plot and the disagreements')
    .option('--redact', 'replace personal identifiers in every excerpt with placeholders', false)
    .option('--excerpts <n>', 'excerpts per dimension', (v) => positiveInt(v, '--excerpts'), 5)
    .action(async (inputs: string[], o) => {
      const { runReport } = await import('../commands/report.js');
      const html = await runReport(
        { inputs, codebook: o.codebook, human: o.human, redact: o.redact, roles: await roles(o.role), read: readOptions(o), excerpts: o.excerpts },
        (d) => term.diagnostic(d),
      );
      const out = term.fileOutput(o.output, [...inputs, ...alsoRead(o)]);
      out.stream.write(html);
      await out.commit();
    });
}

function defineSuggest(program: Command, term: Terminal): void {
  withReadOptions(program.command('suggest'))
    .description('phrases that separate the turns humans coded for a dimension from the rest (weighted log-odds, informative Dirichlet prior)')
    .argument('<inputs...>', 'the transcripts the human coding is of')
    .requiredOption('--human <coding>', 'the human coding (long or turn-level CSV)')
    .requiredOption('-d, --dimension <id>', 'the dimension to suggest phrases for')
    .option('-c, --codebook <file>', 'YAML codebook whose matches are left out (default: the bundled one)')
    .option('--top <n>', 'how many suggestions', (v) => positiveInt(v, '--top'), 20)
    .addOption(new Option('-f, --format <format>', 'output format; yaml prints indicator lines to paste into the codebook').choices(['table', 'yaml', 'json']).default('table'))
    .action(async (inputs: string[], o) => {
      const { runSuggest, renderSuggest } = await import('../commands/learn.js');
      const r = await runSuggest(
        { human: o.human, inputs, dimension: o.dimension, top: o.top, codebook: o.codebook, roles: await roles(o.role), read: readOptions(o) },
        (d) => term.diagnostic(d),
      );
      term.out.stream.write(renderSuggest(r, o.format));
    });
}

function defineLearn(program: Command, term: Terminal): void {
  withReadOptions(program.command('learn'))
    .description('train a regularised logistic regression per dimension from human coding, with cross-validation grouped by transcript')
    .argument('<inputs...>', 'the transcripts the human coding is of')
    .requiredOption('--human <coding>', 'the human coding (long or turn-level CSV)')
    .requiredOption('-o, --output <file>', 'the model file (JSON) to write')
    .option('--dimensions <ids>', 'only these dimensions (comma-separated)', (v) => v.split(',').map((x) => x.trim()).filter(Boolean))
    .option('-c, --codebook <file>', 'YAML codebook whose indicator hits are features (default: the bundled one)')
    .option('--folds <k>', 'cross-validation folds, grouped by transcript', (v) => positiveInt(v, '--folds'), 5)
    .option('--seed <n>', 'seed for the fold assignment', (v) => positiveInt(v, '--seed'), 1)
    .action(async (inputs: string[], o) => {
      const { runLearn, renderLearn } = await import('../commands/learn.js');
      const r = await runLearn(
        { human: o.human, inputs, dimensions: o.dimensions, folds: o.folds, seed: o.seed, codebook: o.codebook, roles: await roles(o.role), read: readOptions(o) },
        (d) => term.diagnostic(d),
      );
      const out = term.fileOutput(o.output, [...inputs, ...alsoRead(o)]);
      out.stream.write(`${JSON.stringify(r.model, null, 2)}\n`);
      await out.commit();
      term.out.stream.write(renderLearn(r));
    });
}

function defineCodebook(program: Command, term: Terminal): void {
  const codebook = program.command('codebook').description('check and inspect codebooks');
  codebook
    .command('validate')
    .description('check a codebook and report every problem as file:line:col')
    .argument('[file]', 'codebook (default: the bundled one)')
    .action(async (file: string | undefined) => {
      const { runValidate } = await import('../commands/validate.js');
      const r = await runValidate(file);
      term.out.stream.write(
        `${r.codebook.file}: ok: "${r.codebook.name}" ${r.codebook.version}, ${plural(r.codebook.dimensions.length, 'dimension')}, ${plural(r.indicators, 'indicator')}, ${plural(r.examples, 'example')}\n`,
      );
    });

  codebook
    .command('schema')
    .description('print the JSON Schema of the codebook format')
    .action(async () => {
      term.out.stream.write(readFileSync(new URL('../../schema/codebook.schema.json', import.meta.url), 'utf8'));
    });

  codebook
    .command('test')
    .description("run the codebook's examples and gold fixtures; exit 1 on any failure")
    .argument('[codebook]', 'codebook (default: the bundled one)')
    .option('--gold <spec>', 'gold spec (YAML): transcripts, a human coding and per-dimension min_kappa / min_f1')
    .option('--junit <file>', 'also write a JUnit XML report to FILE')
    .addOption(new Option('--annotations <kind>', 'print CI annotations instead of the report').choices(['github']))
    .addOption(new Option('-f, --format <format>', 'report format').choices(['table', 'json']).default('table'))
    .action(async (file: string | undefined, o) => {
      const { renderTestReport, runCodebookTest, toGithubAnnotations, toJUnit } = await import('../commands/codebook-test.js');
      const report = await runCodebookTest({ codebook: file, gold: o.gold });
      if (o.junit) {
        const out = term.fileOutput(o.junit, [file, o.gold].filter((f): f is string => f !== undefined));
        out.stream.write(toJUnit(report));
        await out.commit();
      }
      if (o.annotations === 'github') term.out.stream.write(toGithubAnnotations(report));
      else if (o.format === 'json') term.out.stream.write(`${JSON.stringify(report, null, 2)}\n`);
      else term.out.stream.write(renderTestReport(report, { color: term.color }));
      if (!report.passed) term.exitCode = 1;
    });

  withReadOptions(codebook.command('diff'))
    .description('code a corpus with two codebooks and list every turn that gains or loses a dimension')
    .argument('<old>', 'the codebook before the change')
    .argument('<new>', 'the codebook after the change')
    .argument('<inputs...>', 'transcript files, directories or globs')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices(['table', 'csv', 'json']))
    .option('--fail-on-change', 'exit 1 when any turn gains or loses a dimension', false)
    .option('--raw-cells', "CSV: write text cells that start with = + - @ as they are (default: a leading ')", false)
    .action(async (oldFile: string, newFile: string, inputs: string[], o) => {
      const { renderDiff, runCodebookDiff } = await import('../commands/codebook-diff.js');
      const report = await runCodebookDiff(
        { old: oldFile, new: newFile, inputs, roles: await roles(o.role), read: readOptions(o) },
        (d) => term.diagnostic(d),
      );
      const format = o.format ?? (term.stdoutIsTTY ? 'table' : 'csv');
      term.out.stream.write(renderDiff(report, { format, color: term.color, width: term.width, rawCells: o.rawCells }));
      if (o.failOnChange && report.changed) term.exitCode = 1;
    });

  codebook
    .command('export')
    .description('write a codebook as a REFI-QDA codebook (.qdc) or a LIWC dictionary (.dic)')
    .argument('[codebook]', 'codebook (default: the bundled one)')
    .addOption(new Option('-f, --format <format>', 'target format').choices(['qdc', 'dic']).makeOptionMandatory())
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (file: string | undefined, o) => {
      const { runCodebookExport } = await import('../commands/codebook-convert.js');
      const text = await runCodebookExport(file, o.format, (d) => term.diagnostic(d));
      if (o.output) await writeWhole(term, o.output, [file].filter((f): f is string => f !== undefined), text);
      else term.out.stream.write(text);
    });

  codebook
    .command('import')
    .description('turn a LIWC (.dic, .dicx) or quanteda (YAML) dictionary into a relcode codebook')
    .argument('<dictionary>', 'the dictionary file')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (file: string, o) => {
      const { runCodebookImport } = await import('../commands/codebook-convert.js');
      const yaml = await runCodebookImport(file, (d) => term.diagnostic(d));
      if (o.output) await writeWhole(term, o.output, [file], yaml);
      else term.out.stream.write(yaml);
    });

  codebook
    .command('lint')
    .description('warn about indicators that can never match, duplicates, shadowed indicators and idle exclusions')
    .argument('[codebook]', 'codebook (default: the bundled one)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', (v) => positiveInt(v, '--max-warnings'))
    .action(async (file: string | undefined, o) => {
      const { runLint } = await import('../commands/codebook-lint.js');
      const findings = await runLint(file);
      if (o.format === 'json') term.out.stream.write(`${JSON.stringify(findings, null, 2)}\n`);
      else term.out.stream.write(findings.map((d) => `${formatDiagnostic(d)}\n`).join('') + `${plural(findings.length, 'warning')}\n`);
      if (o.maxWarnings !== undefined && findings.length > o.maxWarnings) term.exitCode = 1;
    });
}

/** The options that say how to read transcripts, shared by every command that reads them. */
function withReadOptions(command: Command): Command {
  return command
    .option('--role <label=role>', 'give a speaker label a role: therapist, client or other (repeatable)', collect, [])
    .addOption(new Option('--input-format <format>', 'transcript format (default: by extension, then content)').choices(INPUT_FORMATS).default('auto'))
    .option('--transcript-col <name>', 'column (or JSON field) holding the transcript id')
    .option('--turn-col <name>', 'column (or JSON field) holding the turn number')
    .option('--speaker-col <name>', 'column (or JSON field) holding the speaker label')
    .option('--text-col <name>', 'column (or JSON field) holding the turn text')
    .option('--speaker-field <name>', 'the same as --speaker-col, for JSON')
    .option('--text-field <name>', 'the same as --text-col, for JSON')
    .option('--json-turns <path>', 'JSON documents: where the array of turns is, e.g. `dialog` or `session.turns`')
    .addOption(new Option('--encoding <name>', 'text encoding of transcripts that are not UTF-8 (latin1: read as Windows-1252); UTF-16 with a byte-order mark is always read').choices(['utf8', 'latin1']).default('utf8'));
}

function readOptions(o: Record<string, string | undefined>) {
  return {
    inputFormat: (o.inputFormat ?? 'auto') as InputFormat,
    columns: { transcript: o.transcriptCol, turn: o.turnCol, speaker: o.speakerCol ?? o.speakerField, text: o.textCol ?? o.textField },
    ...(o.jsonTurns ? { jsonTurns: o.jsonTurns } : {}),
    ...(o.encoding === 'latin1' ? { encoding: 'latin1' as const } : {}),
  };
}

/** Warnings and errors still go out under --quiet; the info lines do not. */
function quietReport(term: Terminal) {
  return (d: Diagnostic) => {
    if (d.severity !== 'info') term.diagnostic(d);
  };
}

function usage(message: string, hint: string): InputError {
  return new InputError([{ severity: 'error', ruleId: 'bad-usage', file: '<command line>', message, hint }]);
}

function safeName(user: string): string {
  return user.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'coder';
}

type LongRow = { transcript: string; turn: number; dimension: string };

/** `text` to a file through the terminal: a temporary file renamed into place, never over an input. */
async function writeWhole(term: Terminal, path: string, inputs: string[], text: string): Promise<void> {
  const out = term.fileOutput(path, inputs);
  out.stream.write(text);
  await out.commit();
}

/** Files besides the transcripts that a command reads (codebook, human coding, names): -o must not be one of them. */
function alsoRead(o: { codebook?: string; human?: string; names?: string }): string[] {
  return [o.codebook, o.human, o.names].filter((f): f is string => typeof f === 'string');
}

function longCsvOf(rows: LongRow[], guard: (s: string) => string): string {
  const cell = (v: string | number) => {
    const s = typeof v === 'string' ? guard(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return ['transcript,turn,dimension', ...rows.map((r) => [r.transcript, r.turn, r.dimension].map(cell).join(','))].join('\n') + '\n';
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

function fraction(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < -1 || n > 1) throw new InputError([{ severity: 'error', ruleId: 'bad-option', file: '<command line>', message: `${flag} needs a number from -1 to 1, got "${value}"`, hint: `e.g. ${flag} 0.6` }]);
  return n;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function atLeastOne(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError([{ severity: 'error', ruleId: 'bad-option', file: '<command line>', message: `${flag} needs a whole number of at least 1, got "${value}"`, hint: `e.g. ${flag} 4` }]);
  return n;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError([{ severity: 'error', ruleId: 'bad-option', file: '<command line>', message: `${flag} needs a whole number, got "${value}"`, hint: `e.g. ${flag} 3` }]);
  return n;
}

export { formatDiagnostic };
