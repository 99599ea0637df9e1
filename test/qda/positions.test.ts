import { describe, expect, it } from 'vitest';
import { codePointLength, codePointOffsets, utf16Offset } from '../../src/qda/positions.js';

// REFI-QDA positions are Unicode code points; JavaScript counts UTF-16 units.
const EMOJI = '😊'; // U+1F60A: 1 code point, 2 UTF-16 units
const ACCENT = 'e\u0301'; // e + combining acute: 2 code points, 1 grapheme

describe('code-point positions', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    [EMOJI, 1],
    [ACCENT, 2],
    [`a${EMOJI}b${ACCENT}`, 5],
    ['👩‍👩‍👧', 5], // three people joined by two zero-width joiners
    ['\uD800x', 2], // a lone surrogate counts as one
  ])('codePointLength(%j) = %i', (s, n) => {
    expect(codePointLength(s)).toBe(n);
    expect(codePointLength(s)).toBe([...s].length);
  });

  it('maps every UTF-16 offset to its code point, a pair’s second half to the pair', () => {
    const s = `a${EMOJI}b${ACCENT}c`;
    expect([...codePointOffsets(s)]).toEqual([0, 1, 1, 2, 3, 4, 5, 6]);
  });

  it('maps code points back to UTF-16', () => {
    const s = `a${EMOJI}b${ACCENT}c`;
    expect([0, 1, 2, 3, 4, 5, 6].map((cp) => utf16Offset(s, cp))).toEqual([0, 1, 3, 4, 5, 6, 7]);
    expect(utf16Offset(s, 7)).toBeUndefined();
    expect(utf16Offset(s, -1)).toBeUndefined();
  });
});
