import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { formatFromExtension } from '../../src/transcript/read.js';
import { readJsonDocument, type JsonReadOptions } from '../../src/transcript/readers/json.js';
import { relcode } from '../cli/run.js';

type Options = Partial<Pick<JsonReadOptions, 'columns' | 'jsonTurns'>>;
const read = (doc: unknown, o: Options = {}) =>
  readJsonDocument(typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2), { file: 'x.json', source: 'x.json', id: 'x', columns: {}, ...o }, () => {});

function errorOf(doc: unknown, o: Options = {}): Diagnostic {
  try {
    read(doc, o);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).diagnostics[0]!;
  }
  throw new Error('expected an InputError');
}

const dialog = [
  { author: 'counselor', content: 'Hi there.', ts: '2024-05-02T21:04:10Z' },
  { author: 'client', content: 'Hello.', ts: '2024-05-02T21:05:02Z' },
];

describe('readJsonDocument', () => {
  it('reads the array at --json-turns with --speaker-field/--text-field; the id from session_id', () => {
    const [t, ...rest] = read({ session_id: 'chat-07', dialog }, { jsonTurns: 'dialog', columns: { speaker: 'author', text: 'content' } });
    expect(rest).toEqual([]);
    expect(t).toEqual({
      id: 'chat-07',
      source: 'x.json',
      turns: [
        { turn: 1, speaker: 'counselor', text: 'Hi there.', start: '2024-05-02T21:04:10Z' },
        { turn: 2, speaker: 'client', text: 'Hello.', start: '2024-05-02T21:05:02Z' },
      ],
    });
  });

  it('follows a dot path through objects and array indexes', () => {
    expect(read({ session: { turns: dialog } }, { jsonTurns: 'session.turns' })[0]!.turns).toHaveLength(2);
    expect(read({ sessions: [{ turns: [] }, { turns: dialog }] }, { jsonTurns: 'sessions.1.turns' })[0]!.turns).toHaveLength(2);
  });

  it('without --json-turns, finds the only array of objects with a text field', () => {
    const doc = { meta: { participants: [{ name: 'counselor' }, { name: 'client' }] }, conversation: { messages: dialog } };
    expect(read(doc)[0]!.turns.map((t) => [t.speaker, t.text])).toEqual([['counselor', 'Hi there.'], ['client', 'Hello.']]);
  });

  it('--text-field makes an unusual text field count when finding the array', () => {
    const doc = { lines: [{ who: 'T', said: 'Hi.' }] };
    expect(errorOf(doc).ruleId).toBe('no-turns-array');
    expect(read(doc, { columns: { text: 'said' } })[0]!.turns).toEqual([{ turn: 1, speaker: 'T', text: 'Hi.' }]);
  });

  it('finds turn, start and end by the tabular names; numbers become strings', () => {
    const doc = { turns: [{ speaker: 'T', text: 'a', turn_id: 3, start_time: 1.5, end: '00:02' }, { speaker: 'C', text: 'b', turn_id: '4.0' }] };
    expect(read(doc)[0]!.turns).toEqual([
      { turn: 3, speaker: 'T', text: 'a', start: '1.5', end: '00:02' },
      { turn: 4, speaker: 'C', text: 'b' },
    ]);
  });

  it.each([
    [{ id: 'a1', turns: dialog }, 'a1'],
    [{ transcript: 7, turns: dialog }, '7'],
    [{ session_id: ' s-3 ', turns: dialog }, 's-3'],
    [{ id: '', turns: dialog }, 'x'],
    [{ title: 'no id here', turns: dialog }, 'x'],
  ])('the transcript id of %j is %s', (doc, id) => {
    expect(read(doc)[0]!.id).toBe(id);
  });

  it('a top-level array of turns is one transcript', () => {
    const [t] = read([{ speaker: 'T', text: 'Hi.' }, { speaker: 'C', text: 'Hello.' }]);
    expect(t).toMatchObject({ id: 'x', turns: [{ turn: 1, speaker: 'T' }, { turn: 2, speaker: 'C' }] });
  });

  it('a top-level array of documents gives one transcript each; ids default to name-N', () => {
    const docs = [{ id: 'a', dialog }, { dialog: dialog.slice(0, 1) }];
    expect(read(docs).map((t) => [t.id, t.turns.length])).toEqual([['a', 2], ['x-2', 1]]);
    expect(read(docs, { jsonTurns: 'dialog' }).map((t) => t.id)).toEqual(['a', 'x-2']);
  });

  it('with --json-turns, a top-level array is always an array of documents', () => {
    expect(errorOf([{ speaker: 'T', text: 'Hi.' }], { jsonTurns: 'turns' })).toMatchObject({ ruleId: 'bad-json-path', message: '--json-turns "turns": [0] has no "turns"' });
  });

  it('two documents with one id → duplicate-transcript', () => {
    expect(errorOf([{ id: 'a', dialog }, { id: 'a', dialog }]).ruleId).toBe('duplicate-transcript');
  });

  describe('path errors name the path and list the candidates', () => {
    const doc = { session_id: 's', meta: { people: [{ name: 'a' }] }, dialog };
    it('a missing key', () => {
      const d = errorOf(doc, { jsonTurns: 'dialogue' });
      expect(d).toMatchObject({ ruleId: 'bad-json-path', file: 'x.json', message: '--json-turns "dialogue": the top level has no "dialogue"' });
      expect(d.hint).toBe('the arrays of objects are: meta.people, dialog; name the array of turns with --json-turns PATH, a dot path such as `dialog` or `session.turns`');
    });
    it('a missing key deeper down', () => {
      expect(errorOf(doc, { jsonTurns: 'meta.turns' }).message).toBe('--json-turns "meta.turns": meta has no "turns"');
    });
    it('a path to something that is not an array', () => {
      expect(errorOf(doc, { jsonTurns: 'session_id' })).toMatchObject({ ruleId: 'bad-json-path', message: '--json-turns "session_id": session_id holds a string, not an array' });
    });
    it('no array of turns at all', () => {
      const d = errorOf({ meta: { people: [{ name: 'a' }] } });
      expect(d).toMatchObject({ ruleId: 'no-turns-array', message: 'no array of objects with a text field' });
      expect(d.hint).toMatch(/^the arrays of objects are: meta\.people; .*--json-turns PATH.*--text-field NAME/);
    });
    it('several arrays of turns', () => {
      const d = errorOf({ a: dialog, b: { c: dialog } });
      expect(d).toMatchObject({ ruleId: 'ambiguous-turns-array', message: 'several arrays of turns: a, b.c' });
      expect(d.hint).toMatch(/--json-turns PATH/);
    });
    it('in the second of several documents', () => {
      expect(errorOf([{ dialog }, { other: [] }]).message).toBe('[1]: no array of objects with a text field');
    });
  });

  describe('bad turns', () => {
    it('a field option naming an absent field', () => {
      const d = errorOf({ dialog }, { columns: { speaker: 'user' } });
      expect(d).toMatchObject({ ruleId: 'unknown-column', message: '--speaker-field "user": dialog[0] has no such field' });
      expect(d.hint).toBe('its fields are: author, content, ts');
    });
    it('a turn without a text', () => {
      const d = errorOf({ dialog: [...dialog, { author: 'client' }] }, { jsonTurns: 'dialog' });
      expect(d).toMatchObject({ ruleId: 'missing-field', message: 'dialog[2] has no text' });
      expect(d.hint).toMatch(/--text-field NAME; its fields are: author$/);
    });
    it('a turn that is not an object', () => {
      expect(errorOf({ dialog: [...dialog, 'hello'] }, { jsonTurns: 'dialog' })).toMatchObject({ ruleId: 'not-an-object', message: 'dialog[2] holds a string, not an object' });
    });
    it('a text that is an object', () => {
      expect(errorOf({ dialog: [{ author: 'c', content: { parts: ['hi'] } }] }, { jsonTurns: 'dialog' })).toMatchObject({ ruleId: 'bad-field', message: 'dialog[0]: field "content" holds an object' });
    });
    it('a repeated turn number', () => {
      expect(errorOf({ turns: [{ speaker: 'T', text: 'a', turn: 1 }, { speaker: 'C', text: 'b', turn: 1 }] }).ruleId).toBe('duplicate-turn');
    });
    it('an empty array of turns', () => {
      expect(errorOf({ dialog: [] }, { jsonTurns: 'dialog' }).ruleId).toBe('no-turns');
    });
  });

  describe('syntax errors', () => {
    it('name the line and column', () => {
      const d = errorOf('{\n  "dialog": [\n    {"speaker": "T", "text": "hi",}\n  ]\n}');
      expect(d).toMatchObject({ ruleId: 'bad-json', line: 3, col: 35 });
      expect(d.message).not.toMatch(/position/);
    });
    it('JSON Lines in a .json file: the hint says so', () => {
      const d = errorOf('{"speaker": "T", "text": "hi"}\n{"speaker": "C", "text": "yo"}\n');
      expect(d).toMatchObject({ ruleId: 'bad-json', line: 2, col: 1 });
      expect(d.hint).toMatch(/--input-format jsonl/);
    });
    it('an empty file', () => {
      expect(errorOf('  \n').ruleId).toBe('empty-transcript');
    });
  });

  it('is chosen by the .json extension', () => {
    expect(formatFromExtension('export.JSON')).toBe('json');
  });
});

describe('fixtures/transcripts/chatbot-export.json, through the CLI', () => {
  const expectFixture = (args: string[]) => {
    const r = relcode(['code', 'fixtures/transcripts/chatbot-export.json', '--level', 'turn', '--format', 'csv', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(12);
    expect(rows.map((x) => x.transcript)).toEqual(Array(12).fill('chat-07'));
    const speakers = ['counselor', 'client', 'counselor', 'client', 'client', 'counselor', 'client', 'counselor', 'client', 'counselor', 'client', 'counselor'];
    expect(rows.map((x) => x.speaker)).toEqual(speakers);
    expect(rows.map((x) => x.role)).toEqual(speakers.map((s) => (s === 'counselor' ? 'therapist' : 'client')));
    expect(rows[0]).toMatchObject({ turn: '1', start: '2024-05-02T21:04:10Z', end: '' });
    expect(rows[11]).toMatchObject({ turn: '12', start: '2024-05-02T21:11:45Z' });
    expect(r.stderr).not.toMatch(/warning/);
  };

  it('12 turns with --json-turns dialog --speaker-field author --text-field content', () => {
    expectFixture(['--json-turns', 'dialog', '--speaker-field', 'author', '--text-field', 'content']);
  });

  it('the same 12 turns found without options', () => {
    expectFixture([]);
  });

  it('a wrong --json-turns exits 2 with the candidates in the hint', () => {
    const r = relcode(['code', 'fixtures/transcripts/chatbot-export.json', '--json-turns', 'messages']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chatbot-export\.json: error: --json-turns "messages": the top level has no "messages" \[bad-json-path\]\n {2}hint: the arrays of objects are: participants, dialog;/);
  });
});
