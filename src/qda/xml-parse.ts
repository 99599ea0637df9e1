/**
 * A small, strict, non-validating XML reader for REFI-QDA project files:
 * elements, attributes, text, CDATA, comments and processing instructions.
 * A DOCTYPE is refused outright, so no entity can expand (billion laughs) or
 * reach outside the file (XXE). Namespace prefixes are dropped: REFI-QDA has
 * one namespace, and tools differ in whether they prefix it.
 */
import { fail } from '../diagnostics.js';

export interface XmlElement {
  /** local name, without a namespace prefix */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** the element's own text (CDATA included), children's text excluded */
  text: string;
  /** 1-based line of the start tag */
  line: number;
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(source: string, file: string): XmlElement {
  const s = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let i = 0;
  let lineAt = 0;
  let line = 1;
  const lineOf = (pos: number): number => {
    // positions only move forward while parsing, so count incrementally
    for (; lineAt < pos; lineAt++) if (s.charCodeAt(lineAt) === 10) line++;
    return line;
  };
  const bad = (message: string, at = i): never =>
    fail('bad-xml', { file, line: lineOf(at) }, message, 'the project file is not well-formed XML; export it again from the QDA software');

  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&\s]*);?/g, (m, ref: string) => {
      if (!m.endsWith(';')) bad('"&" must start an entity reference such as &amp;', at);
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!Number.isFinite(code) || code < 0 || code > 0x10ffff || !/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(ref)) bad(`bad character reference &${ref};`, at);
        return String.fromCodePoint(code);
      }
      const v = Object.hasOwn(PREDEFINED, ref) ? PREDEFINED[ref] : undefined;
      if (v === undefined) bad(`unknown entity &${ref};`, at);
      return v!;
    });

  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(s);
    if (!m) bad('expected a name');
    i += m![0].length;
    return m![0];
  };
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (s.startsWith('<?', i)) {
        const end = s.indexOf('?>', i);
        if (end < 0) bad('unclosed processing instruction');
        i = end + 2;
      } else if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i + 4);
        if (end < 0) bad('unclosed comment');
        i = end + 3;
      } else if (s.startsWith('<!DOCTYPE', i)) {
        fail('unsafe-xml', { file, line: lineOf(i) }, 'the project file has a DOCTYPE, which REFI-QDA files never need',
          'relcode refuses DTDs so that no entity can expand or point outside the file; export the project again from the QDA software');
      } else return;
    }
  };
  const local = (name: string) => name.slice(name.indexOf(':') + 1);

  const readElement = (depth: number): XmlElement => {
    if (depth > 200) bad('elements nested more than 200 deep');
    const start = i;
    i++; // <
    const name = readName();
    const el: XmlElement = { name: local(name), attrs: {}, children: [], text: '', line: lineOf(start) };
    for (;;) {
      const before = i;
      skipSpace();
      if (s.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (s[i] === '>') {
        i++;
        break;
      }
      if (i === before) bad(`expected an attribute or the end of <${name}>`);
      const at = i;
      const attr = readName();
      skipSpace();
      if (s[i] !== '=') bad(`attribute ${attr} has no value`);
      i++;
      skipSpace();
      const q = s[i];
      if (q !== '"' && q !== "'") bad(`the value of ${attr} must be quoted`);
      const end = s.indexOf(q!, i + 1);
      if (end < 0) bad(`unclosed value of ${attr}`);
      const raw = s.slice(i + 1, end);
      if (raw.includes('<')) bad(`"<" in the value of ${attr}`);
      // attribute-value normalisation: literal white space becomes a space; references survive
      const key = attr.startsWith('xmlns') ? attr : local(attr);
      if (key in el.attrs) bad(`attribute ${attr} given twice`, at);
      el.attrs[key] = decode(raw.replace(/[\t\n]/g, ' '), at);
      i = end + 1;
    }
    let text = '';
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) bad(`<${name}> is never closed`, start);
      if (lt > i) text += decode(s.slice(i, lt), i);
      i = lt;
      if (s.startsWith('</', i)) {
        i += 2;
        const close = readName();
        if (close !== name) bad(`</${close}> closes <${name}> (line ${el.line})`);
        skipSpace();
        if (s[i] !== '>') bad(`expected ">" after </${close}`);
        i++;
        el.text = text;
        return el;
      }
      if (s.startsWith('<![CDATA[', i)) {
        const end = s.indexOf(']]>', i);
        if (end < 0) bad('unclosed CDATA section');
        text += s.slice(i + 9, end);
        i = end + 3;
      } else if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i + 4);
        if (end < 0) bad('unclosed comment');
        i = end + 3;
      } else if (s.startsWith('<?', i)) {
        const end = s.indexOf('?>', i);
        if (end < 0) bad('unclosed processing instruction');
        i = end + 2;
      } else if (s.startsWith('<!', i)) {
        bad('unexpected markup declaration');
      } else {
        el.children.push(readElement(depth + 1));
      }
    }
  };

  skipMisc();
  if (s[i] !== '<') bad('no root element');
  const root = readElement(0);
  skipMisc();
  if (i < s.length) bad('content after the root element');
  return root;
}

/** Children with this local name. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function childNamed(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
