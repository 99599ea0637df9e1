import { describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK, loadCodebook } from '../../src/codebook/load.js';
import { codeText, compileCodebook } from '../../src/coding/tagger.js';
import { parseXml } from '../../src/qda/xml-parse.js';
import { tokenize } from '../../src/text/tokenize.js';
import { readSource } from '../../src/transcript/read.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';

// Words that name Object.prototype members must be plain words everywhere text meets a lookup table.
const WORDS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype', 'isPrototypeOf'];
const sentence = `The ${WORDS.join(' and ')} are just words.`;

async function turnsOf(content: string, inputFormat: 'vtt' | 'chat') {
  const bytes = (async function* () {
    yield new TextEncoder().encode(content);
  })();
  const out = [];
  for await (const t of readSource(bytes, 'x', { inputFormat, columns: {}, rolePatterns: DEFAULT_ROLE_PATTERNS }, () => {})) out.push(...t.turns);
  return out;
}

describe('words that are Object.prototype members', () => {
  it('tokenize as ordinary words', () => {
    expect(tokenize(sentence).tokens.map((t) => t.norm)).toEqual(['the', ...WORDS.flatMap((w, i) => (i ? ['and', w.toLowerCase().replace(/_/g, '')] : [w.toLowerCase().replace(/_/g, '')])), 'are', 'just', 'words']);
  });

  it('code without error under the default codebook', async () => {
    const compiled = compileCodebook(await loadCodebook(DEFAULT_CODEBOOK));
    expect(codeText(compiled, sentence, 'therapist').words).toBe(17);
  });

  it('stay literal as entity and role names in VTT, CHAT and XML', async () => {
    const vtt = await turnsOf('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Therapist>A &constructor; and &toString;\n', 'vtt');
    expect(vtt[0]!.text).toBe('A &constructor; and &toString;');
    const chat = await turnsOf('@UTF8\n@Begin\n@Participants:\tTHE Lee constructor\n*THE:\thello .\n@End\n', 'chat');
    expect(chat[0]!.role).toBeUndefined();
    expect(() => parseXml('<a>&constructor;</a>', 'x.xml')).toThrow(/unknown entity/);
  });
});
