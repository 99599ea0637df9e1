import { problemOf } from '../helpers.js';
import { describe, expect, it } from 'vitest';
import { attrs, escapeAttr, escapeText, xmlSafe } from '../../src/qda/xml.js';
import { parseXml } from '../../src/qda/xml-parse.js';

const problem = problemOf;

describe('XML escaping', () => {
  it.each([
    ['markup', 'a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['CDATA end', 'x ]]> y', 'x ]]&gt; y'],
    ['C0 controls become U+FFFD', 'a\u0000b\u0007c\u001Fd', 'a\uFFFDb\uFFFDc\uFFFDd'],
    ['tab, LF and CR are allowed in text', 'a\tb\nc\rd', 'a\tb\nc\rd'],
    ['lone surrogates become U+FFFD', 'a\uD800b\uDC00c', 'a\uFFFDb\uFFFDc'],
    ['a surrogate pair stays', 'a\uD83D\uDE0Ab', 'a\uD83D\uDE0Ab'],
    ['U+FFFE and U+FFFF', 'a\uFFFEb\uFFFF', 'a\uFFFDb\uFFFD'],
  ])('escapeText: %s', (_, input, output) => {
    expect(escapeText(input)).toBe(output);
  });

  it('xmlSafe keeps the length in code points', () => {
    const s = 'x\u0001\uD800😊';
    expect([...xmlSafe(s)].length).toBe([...s].length);
  });

  it('attribute values survive a parser: quotes, line breaks, tabs and controls', () => {
    const value = 'He said "hi" & left\n\tnext line\r\u0002 ☕ 😊';
    expect(escapeAttr(value)).not.toMatch(/["\n\t\r<]/);
    const root = parseXml(`<a${attrs({ v: value, n: 3, skip: undefined })}/>`, 't.xml');
    expect(root.attrs).toEqual({ v: value.replace('\u0002', '\uFFFD'), n: '3' });
  });
});

describe('parseXml', () => {
  it('reads elements, attributes, text, CDATA, references, comments and prefixes', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<!-- c -->\n<q:Project xmlns:q="urn:QDA-XML:project:1.0" q:name=\'P &amp; Q\'>\n' +
        '  <q:Note>a &lt;b&gt; &#233;&#x1F60A; <![CDATA[<raw> & ]]>end</q:Note><!-- x --><Empty  />\n</q:Project>\n',
      't.xml',
    );
    expect(root.name).toBe('Project');
    expect(root.attrs.name).toBe('P & Q');
    expect(root.children.map((c) => c.name)).toEqual(['Note', 'Empty']);
    expect(root.children[0]!.text).toBe('a <b> é😊 <raw> & end');
    expect(root.children[0]!.line).toBe(4);
  });

  it('normalises literal white space in attributes but keeps references', () => {
    expect(parseXml('<a v="x\ny\tz&#10;w"/>', 't').attrs.v).toBe('x y z\nw');
  });

  it.each([
    ['a DOCTYPE (no entity can expand)', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'unsafe-xml'],
    ['an unknown entity', '<a>&nbsp;</a>', 'bad-xml'],
    ['a bare ampersand', '<a>fish & chips</a>', 'bad-xml'],
    ['a mismatched end tag', '<a>\n<b></c></a>', 'bad-xml'],
    ['an unclosed element', '<a><b></b>', 'bad-xml'],
    ['an unquoted attribute', '<a v=1/>', 'bad-xml'],
    ['a duplicate attribute', '<a v="1" v="2"/>', 'bad-xml'],
    ['content after the root', '<a/><b/>', 'bad-xml'],
    ['no root element', '   ', 'bad-xml'],
  ])('refuses %s', (_, xml, rule) => {
    const d = problem(() => parseXml(xml, 'p.qde'));
    expect(d.ruleId).toBe(rule);
    expect(d.file).toBe('p.qde');
    expect(d.hint).toBeTruthy();
  });

  it('names the line of a problem', () => {
    expect(problem(() => parseXml('<a>\n\n<b></c></a>', 'p.qde')).line).toBe(3);
  });
});
