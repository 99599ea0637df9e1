import { describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/terminal.js';

describe('colour', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true], // no-color.org: only a non-empty value turns colour off
    [true, { TERM: 'dumb' }, false],
  ])('tty=%s env=%j → %s', (tty, env, expected) => {
    expect(useColor(tty, env)).toBe(expected);
  });
});
