/**
 * The table's styles are written by hand to keep chalk off the start-up path;
 * their bytes must be chalk's at level 1 (and, without colour, at level 0) for
 * any text: empty, with line breaks (LF and CRLF), and with escape codes of
 * the same styles inside it.
 */
import fc from 'fast-check';
import { Chalk, type ChalkInstance } from 'chalk';
import { describe, expect, it } from 'vitest';
import { styler, type Style, type Styler } from '../../src/output/ansi.js';

const RUNS = Number(process.env.RELCODE_RUNS ?? 300);

const STYLES: [name: string, ours: (s: Styler) => Style, theirs: (c: ChalkInstance) => Style][] = [
  ['bold', (s) => s.bold, (c) => c.bold],
  ['dim', (s) => s.dim, (c) => c.dim],
  ['bold.yellow', (s) => s.bold.yellow, (c) => c.bold.yellow],
];

/** Text built from pieces that exercise chalk's special cases. */
const text = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('\n', '\r\n', '\r', '\u001B[1m', '\u001B[22m', '\u001B[2m', '\u001B[33m', '\u001B[39m', '\u001B', 'é', '**'),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

describe('ansi styles', () => {
  for (const [name, ours, theirs] of STYLES) {
    it(`${name} writes chalk's bytes at level 1`, () => {
      const chalk = theirs(new Chalk({ level: 1 }));
      const style = ours(styler(true));
      fc.assert(fc.property(text, (s) => style(s) === chalk(s)), { numRuns: RUNS });
    });

    it(`${name} without colour leaves the text as chalk at level 0 does`, () => {
      const chalk = theirs(new Chalk({ level: 0 }));
      const style = ours(styler(false));
      fc.assert(fc.property(text, (s) => style(s) === chalk(s)), { numRuns: RUNS });
    });
  }

  it('styles each line on its own and leaves the empty string empty', () => {
    expect(styler(true).bold('a\nb')).toBe('\u001B[1ma\u001B[22m\n\u001B[1mb\u001B[22m');
    expect(styler(true).bold.yellow('')).toBe('');
  });
});
