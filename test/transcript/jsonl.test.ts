import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import type { RawTranscript } from '../../src/transcript/model.js';
import { numberedLines, readJsonl } from '../../src/transcript/readers/jsonl.js';
import type { ColumnNames } from '../../src/transcript/readers/tabular.js';

async function read(content: string | string[], columns: ColumnNames = {}) {
  const out: RawTranscript[] = [];
  for await (const t of readJsonl(content, { file: 'x.jsonl', source: 'x.jsonl', id: 'x', columns }, () => {})) out.push(t);
  return out;
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

describe('readJsonl', () => {
  it('reads one object per line, skipping blank lines', async () => {
    const jsonl = [
      '{"speaker": "T", "text": "Hello,\\nthere", "start": "00:00:01"}',
      '',
      '   ',
      '{"speaker": "C", "text": "Hi", "end": 12.5}',
    ].join('\n');
    expect(await read(jsonl)).toEqual([
      {
        id: 'x',
        source: 'x.jsonl',
        turns: [
          { turn: 1, speaker: 'T', text: 'Hello,\nthere', start: '00:00:01', line: 1 },
          { turn: 2, speaker: 'C', text: 'Hi', end: '12.5', line: 4 },
        ],
      },
    ]);
  });

  it('groups by the transcript field and reads turn numbers', async () => {
    const jsonl = [
      '{"session_id": "a", "turn": 1, "role": "therapist", "utterance": "x"}',
      '{"session_id": "a", "turn": "2", "role": "client", "utterance": "y"}',
      '{"session_id": "b", "turn": 7, "role": "client", "utterance": "z"}',
    ].join('\n');
    const ts = await read(jsonl);
    expect(ts.map((t) => [t.id, t.turns.map((x) => x.turn)])).toEqual([['a', [1, 2]], ['b', [7]]]);
  });

  it('takes field names from the options', async () => {
    const ts = await read('{"who": "T", "said": "hi", "text": "other"}', { text: 'said' });
    expect(ts[0]!.turns[0]).toMatchObject({ speaker: 'T', text: 'hi' });
  });

  it('reads a BOM and CRLF', async () => {
    const ts = await read('\uFEFF{"speaker": "T", "text": "a"}\r\n{"speaker": "C", "text": "b"}\r\n');
    expect(ts[0]!.turns.map((t) => t.text)).toEqual(['a', 'b']);
  });

  it('reports bad JSON with its line and column', async () => {
    const d = await errorOf('{"speaker": "T", "text": "a"}\n{"speaker": "C", "text": "b",}\n');
    expect(d).toMatchObject({ ruleId: 'bad-json', file: 'x.jsonl', line: 2, col: 30 }); // the `}` after the trailing comma
    expect(d.hint).toBeTruthy();
  });

  it('reports bad JSON without a position at column 1, without echoing the line', async () => {
    const d = await errorOf('{"speaker": "T", "text": "a"}\nsecret words\n');
    expect(d).toMatchObject({ ruleId: 'bad-json', line: 2, col: 1 });
    expect(d.message).not.toContain('secret words');
  });

  it.each([
    ['an array', '[1, 2]', 'not-an-object'],
    ['a string', '"text"', 'not-an-object'],
    ['no text', '{"speaker": "T"}', 'missing-field'],
    ['no speaker', '{"text": "hi"}', 'missing-field'],
    ['a null text', '{"speaker": "T", "text": null}', 'missing-field'],
    ['an object as text', '{"speaker": "T", "text": {"a": 1}}', 'bad-field'],
    ['a fractional turn', '{"speaker": "T", "text": "a", "turn": 1.5}', 'bad-turn-number'],
  ])('rejects a line with %s, naming the line', async (_, line, ruleId) => {
    const d = await errorOf(`{"speaker": "T", "text": "a", "turn": 0}\n${line}\n`);
    expect(d).toMatchObject({ ruleId, file: 'x.jsonl', line: 2 });
  });

  it('rejects a transcript that is not contiguous', async () => {
    const jsonl = ['a', 'b', 'a'].map((t) => JSON.stringify({ transcript: t, speaker: 'T', text: '.' })).join('\n');
    expect(await errorOf(jsonl)).toMatchObject({ ruleId: 'transcript-not-contiguous', line: 3 });
  });

  it('rejects an option naming an absent field', async () => {
    expect(await errorOf('{"speaker": "T", "text": "a"}', { speaker: 'name' })).toMatchObject({ ruleId: 'unknown-column', line: 1 });
  });

  it('rejects an empty file', async () => {
    expect(await errorOf('\n\n')).toMatchObject({ ruleId: 'empty-transcript' });
  });

  it('splits lines across chunk boundaries', async () => {
    const lines: [number, string][] = [];
    for await (const l of numberedLines(['a\nb', 'c\r', '\nd'])) lines.push(l);
    expect(lines).toEqual([[1, 'a'], [2, 'bc'], [3, 'd']]);
  });
});
