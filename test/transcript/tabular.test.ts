import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import type { RawTranscript } from '../../src/transcript/model.js';
import { readTranscripts } from '../../src/transcript/read.js';
import { findFields, readTabular, type ColumnNames } from '../../src/transcript/readers/tabular.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';
import { ANNOMI } from '../cli/run.js';

async function read(content: string | string[], columns: ColumnNames = {}, delimiter: ',' | '\t' = ',') {
  const warnings: Diagnostic[] = [];
  const out: RawTranscript[] = [];
  const options = { file: 'x.csv', source: 'x.csv', id: 'x', delimiter, columns };
  for await (const t of readTabular(content, options, (d) => warnings.push(d))) out.push(t);
  return { transcripts: out, warnings };
}

async function errorOf(content: string, columns: ColumnNames = {}): Promise<Diagnostic> {
  try {
    await read(content, columns);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).diagnostics[0]!;
  }
  throw new Error('expected an InputError');
}

describe('readTabular', () => {
  it('reads quoted newlines, commas and doubled quotes, with each row’s start line', async () => {
    const csv = [
      'speaker,text',
      'T,"Hello, there."',
      'C,"He said ""no"".',
      'And then he left."',
      'T,plain',
    ].join('\n');
    const { transcripts } = await read(csv);
    expect(transcripts).toEqual([
      {
        id: 'x',
        source: 'x.csv',
        turns: [
          { turn: 1, speaker: 'T', text: 'Hello, there.', line: 2 },
          { turn: 2, speaker: 'C', text: 'He said "no".\nAnd then he left.', line: 3 },
          { turn: 3, speaker: 'T', text: 'plain', line: 5 },
        ],
      },
    ]);
  });

  it('keeps line numbers right across blank lines and chunk boundaries', async () => {
    const csv = 'speaker,text\nT,"a\n\nb"\n\nC,c\n';
    const chunks = csv.split(''); // one character per chunk
    const { transcripts } = await read(chunks);
    expect(transcripts[0]!.turns.map((t) => [t.text, t.line])).toEqual([['a\n\nb', 2], ['c', 6]]);
  });

  it('handles a BOM', async () => {
    const { transcripts } = await read('\uFEFFspeaker,text\nT,hi\n');
    expect(transcripts[0]!.turns).toEqual([{ turn: 1, speaker: 'T', text: 'hi', line: 2 }]);
  });

  it('finds columns by common names, ignoring case, `_`, `-` and spaces', async () => {
    const csv = 'Session ID,Utterance-Number,Interlocutor,utterance_text,Start Time,END\ns1,5,therapist,Hi,00:01,00:02\ns1,6,client,Hello,,\n';
    const { transcripts } = await read(csv);
    expect(transcripts).toEqual([
      {
        id: 's1',
        source: 'x.csv',
        turns: [
          { turn: 5, speaker: 'therapist', text: 'Hi', start: '00:01', end: '00:02', line: 2 },
          { turn: 6, speaker: 'client', text: 'Hello', line: 3 },
        ],
      },
    ]);
  });

  it('prefers names in their listed order and never uses one column twice', () => {
    expect(findFields(['role', 'speaker', 'text'], {}, 'f', 1)).toMatchObject({ speaker: 1, text: 2 });
    expect(findFields(['who', 'transcript_text'], {}, 'f', 1)).toEqual({ speaker: 0, text: 1 });
  });

  it('takes columns from the options', async () => {
    const csv = 'conv,n,person,said,text\na,1,T,hello,ignored\n';
    const { transcripts } = await read(csv, { transcript: 'conv', turn: 'n', speaker: 'person', text: 'said' });
    expect(transcripts[0]).toMatchObject({ id: 'a', turns: [{ turn: 1, speaker: 'T', text: 'hello' }] });
  });

  it('rejects an option naming a column that is not there', async () => {
    const d = await errorOf('speaker,text\nT,hi\n', { text: 'utterance' });
    expect(d).toMatchObject({ ruleId: 'unknown-column', file: 'x.csv', line: 1 });
    expect(d.hint).toContain('speaker, text');
  });

  it('names file:1 when there is no text column', async () => {
    const d = await errorOf('speaker,words\nT,hi\n');
    expect(d).toMatchObject({ ruleId: 'no-text-column', file: 'x.csv', line: 1 });
    expect(d.hint).toContain('speaker, words');
    expect(d.hint).toContain('--text-col');
  });

  it('requires a speaker column', async () => {
    const d = await errorOf('id,text\n1,hi\n');
    expect(d).toMatchObject({ ruleId: 'no-speaker-column', line: 1 });
    expect(d.hint).toContain('--speaker-col');
  });

  it('numbers turns per transcript when there is no turn column', async () => {
    const { transcripts } = await read('transcript,speaker,text\na,T,1\na,C,2\nb,T,3\n');
    expect(transcripts.map((t) => [t.id, t.turns.map((x) => x.turn)])).toEqual([['a', [1, 2]], ['b', [1]]]);
  });

  it('yields each transcript as soon as the next one starts, without reading the whole input', async () => {
    let sent = 0;
    async function* source() {
      yield 'transcript,speaker,text\n';
      for (; sent < 100_000; sent++) yield `t${sent},T,hello\n`;
    }
    const gen = readTabular(source(), { file: 'x.csv', source: 'x.csv', id: 'x', delimiter: ',', columns: {} }, () => {});
    expect((await gen.next()).value).toMatchObject({ id: 't0', turns: [{ turn: 1 }] });
    expect((await gen.next()).value).toMatchObject({ id: 't1' });
    expect(sent).toBeLessThan(5000); // only the stream buffers (~16 KB) are read ahead
    await gen.return(undefined);
  });

  it('rejects a transcript whose rows are not contiguous', async () => {
    const d = await errorOf('transcript,speaker,text\na,T,1\nb,T,2\na,C,3\n');
    expect(d).toMatchObject({ ruleId: 'transcript-not-contiguous', line: 4 });
    expect(d.hint).toContain('sort the rows by transcript');
  });

  it('rejects a turn number that is not an integer', async () => {
    const d = await errorOf('turn,speaker,text\n1,T,a\n2b,C,b\n');
    expect(d).toMatchObject({ ruleId: 'bad-turn-number', line: 3 });
    expect(d.hint).toContain('--turn-col');
  });

  it('accepts integral decimals as turn numbers', async () => {
    const { transcripts } = await read('turn,speaker,text\n1.0,T,a\n2,C,b\n');
    expect(transcripts[0]!.turns.map((t) => t.turn)).toEqual([1, 2]);
  });

  it('rejects a duplicate turn number within a transcript', async () => {
    expect(await errorOf('turn,speaker,text\n1,T,a\n1,C,b\n')).toMatchObject({ ruleId: 'duplicate-turn', line: 3 });
  });

  it('keeps a row with empty text as a turn', async () => {
    const { transcripts } = await read('speaker,text\nT,\nC,""\n');
    expect(transcripts[0]!.turns.map((t) => t.text)).toEqual(['', '']);
  });

  it('skips rows of empty cells with a warning', async () => {
    const { transcripts, warnings } = await read('speaker,text\nT,a\n,\n,\n');
    expect(transcripts[0]!.turns).toHaveLength(1);
    expect(warnings).toEqual([expect.objectContaining({ ruleId: 'empty-row', line: 3, message: expect.stringContaining('2 rows') })]);
  });

  it.each([
    ['an unclosed quote', 'speaker,text\nT,a\nC,"never closed\nT,b\n', 3],
    ['a row with too few cells', 'speaker,text\nT,a\n\nC\nT,b\n', 4],
    ['a stray quote', 'speaker,text\nT,a\nC,"ab"c\n', 3],
  ])('reports %s with its line', async (_, csv, line) => {
    const d = await errorOf(csv);
    expect(d).toMatchObject({ ruleId: 'bad-csv', file: 'x.csv', line });
    expect(d.hint).toBeTruthy();
  });

  it('rejects an empty file and a header without rows', async () => {
    expect(await errorOf('')).toMatchObject({ ruleId: 'empty-transcript' });
    expect(await errorOf('speaker,text\n')).toMatchObject({ ruleId: 'no-turns' });
  });

  it('reads TSV', async () => {
    const { transcripts } = await read('speaker\ttext\nT\tHello, "friend"\nC\t"tab\there"\n', {}, '\t');
    expect(transcripts[0]!.turns.map((t) => t.text)).toEqual(['Hello, "friend"', 'tab\there']);
  });
});

describe('AnnoMI', () => {
  it.skipIf(!existsSync(ANNOMI))('reads AnnoMI-simple.csv as it is', async () => {
    const options = { inputFormat: 'auto' as const, columns: {}, rolePatterns: DEFAULT_ROLE_PATTERNS };
    const warnings: Diagnostic[] = [];
    const speakers = new Set<string>();
    const ids = new Set<string>();
    let turns = 0;
    for await (const t of readTranscripts(ANNOMI, options, (d) => warnings.push(d))) {
      ids.add(t.id);
      turns += t.turns.length;
      for (const turn of t.turns) speakers.add(turn.speaker);
    }
    expect(turns).toBe(9699);
    expect(ids.size).toBe(133);
    expect([...speakers].sort()).toEqual(['client', 'therapist']);
    expect(warnings).toEqual([]);
  });

  it.skipIf(!existsSync(ANNOMI))('finds the same columns as the README’s explicit options', async () => {
    const columns = { transcript: 'transcript_id', turn: 'utterance_id', speaker: 'interlocutor', text: 'utterance_text' };
    const gen = readTranscripts(ANNOMI, { inputFormat: 'csv', columns, rolePatterns: DEFAULT_ROLE_PATTERNS }, () => {});
    const first = (await gen.next()).value as RawTranscript;
    await gen.return(undefined);
    expect(first.id).toBe('0');
    expect(first.turns[0]).toMatchObject({ turn: 0, speaker: 'therapist', start: '00:00:13', line: 2 });
  });
});
