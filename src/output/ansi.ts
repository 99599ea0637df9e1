/**
 * The few terminal styles the table view uses, without chalk: importing chalk
 * costs about 7 ms of start-up (its styles table and colour detection run at
 * import), and `relcode code` loads this module even when it writes CSV.
 * Whether to colour is the CLI's decision (terminal.ts); nothing here looks at
 * the terminal.
 *
 * The bytes are chalk's at level 1 (basic colours): test/output/ansi.test.ts
 * checks them against it. A chalk instance fits `Styler`, so renderers that
 * still use chalk can pass theirs to the table helpers.
 */

export type Style = (text: string) => string;

export interface Styler {
  bold: Style & { yellow: Style };
  dim: Style;
}

const BOLD = ['\u001B[1m', '\u001B[22m'] as const;
const DIM = ['\u001B[2m', '\u001B[22m'] as const;
const YELLOW = ['\u001B[33m', '\u001B[39m'] as const;

const plain: Style = (text) => text;

const PLAIN: Styler = { bold: Object.assign(plain, { yellow: plain }), dim: plain };

const COLOURED: Styler = {
  bold: Object.assign(ansi([BOLD]), { yellow: ansi([BOLD, YELLOW]) }),
  dim: ansi([DIM]),
};

/** The styles for coloured output, or ones that leave text as it is. */
export function styler(color: boolean): Styler {
  return color ? COLOURED : PLAIN;
}

/**
 * A style made of `styles`, outermost first, as chalk applies it: each style
 * is opened again after its own close code inside the text, and a line break
 * closes them all before it and opens them after it, so each line is styled on
 * its own. The empty string stays empty.
 */
function ansi(styles: readonly (readonly [open: string, close: string])[]): Style {
  const openAll = styles.map(([open]) => open).join('');
  const closeAll = styles.map(([, close]) => close).reverse().join('');
  const inner = [...styles].reverse();
  return (text) => {
    let s = text;
    if (!s) return s;
    if (s.includes('\u001B')) for (const [open, close] of inner) s = s.replaceAll(close, close + open);
    if (s.includes('\n')) s = s.replace(/\r?\n/g, (eol) => closeAll + eol + openAll);
    return openAll + s + closeAll;
  };
}
