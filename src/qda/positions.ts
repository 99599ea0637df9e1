/**
 * REFI-QDA positions count Unicode code points (0-based, end exclusive);
 * JavaScript strings count UTF-16 units. These convert between the two.
 */

/** Number of code points in s (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue; // second half of a pair
    }
    n++;
  }
  return n;
}

/**
 * For every UTF-16 offset 0..s.length, the code-point offset. An offset inside
 * a surrogate pair maps to the pair's own code point.
 */
export function codePointOffsets(s: string): Uint32Array {
  const out = new Uint32Array(s.length + 1);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pairTail = c >= 0xdc00 && c <= 0xdfff && i > 0 && isHigh(s.charCodeAt(i - 1));
    if (pairTail) {
      out[i] = n - 1;
      continue;
    }
    out[i] = n++;
  }
  out[s.length] = n;
  return out;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** UTF-16 offset of code point `cp` in s, or undefined when cp is past the end. */
export function utf16Offset(s: string, cp: number): number | undefined {
  if (cp < 0) return undefined;
  let n = 0;
  for (let i = 0; i <= s.length; i++) {
    if (n === cp) return i;
    if (i === s.length) break;
    if (isHigh(s.charCodeAt(i)) && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) i++;
    n++;
  }
  return undefined;
}
