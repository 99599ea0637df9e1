/**
 * Writing XML 1.0 by hand: escaping that keeps every document well-formed,
 * whatever a transcript or codebook holds.
 */

// Characters XML 1.0 forbids even as references: C0 controls but tab/LF/CR,
// lone surrogates, U+FFFE and U+FFFF. They become U+FFFD (one code point for one).
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafe(s: string): string {
  return s.replace(FORBIDDEN, '\uFFFD');
}

/** Element content. `>` is escaped too, so `]]>` can never appear. */
export function escapeText(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted attribute value; tab, LF and CR as references so a parser's normalisation keeps them. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

export type Attrs = Record<string, string | number | boolean | undefined>;

export function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
}

/** `<name a="…"/>` or `<name a="…">children</name>`; children are already XML. */
export function element(name: string, a: Attrs, children: string[] = [], indent = ''): string {
  if (children.length === 0) return `${indent}<${name}${attrs(a)}/>`;
  return `${indent}<${name}${attrs(a)}>\n${children.join('\n')}\n${indent}</${name}>`;
}

/** `<name>text</name>` */
export function textElement(name: string, text: string, indent = ''): string {
  return `${indent}<${name}>${escapeText(text)}</${name}>`;
}
