import { describe, expect, it } from 'vitest';
import { highlightHtml } from '../../src/report/excerpts.js';

/** The text of each `<mark>` in the HTML. */
const marked = (html: string) => [...html.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]);

describe('highlightHtml', () => {
  it('escapes text inside and outside the marks', () => {
    const text = 'a <b> & "sounds like" you\'re hurt';
    const start = text.indexOf('sounds');
    expect(highlightHtml(text, [{ start, end: start + 'sounds like" you'.length }])).toBe(
      'a &lt;b&gt; &amp; &quot;<mark>sounds like&quot; you</mark>&#39;re hurt',
    );
  });

  it('joins overlapping spans and ignores spans outside the text', () => {
    const html = highlightHtml('one two three', [{ start: 0, end: 3 }, { start: 2, end: 7 }, { start: 20, end: 30 }]);
    expect(marked(html)).toEqual(['one two']);
  });

  it('cuts a long turn to a window around its matches, at spaces', () => {
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    const start = words.indexOf('w150');
    const html = highlightHtml(words, [{ start, end: start + 4 }], 200);
    expect(html.startsWith('…')).toBe(true);
    expect(html.endsWith('…')).toBe(true);
    expect(marked(html)).toEqual(['w150']);
    expect(html.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(202);
    expect(html).toMatch(/^…w\d+ /);
  });

  it('never splits an emoji', () => {
    const text = `${'😢'.repeat(200)} care ${'😢'.repeat(200)}`;
    const start = text.indexOf('care');
    const html = highlightHtml(text, [{ start, end: start + 4 }], 101);
    expect(html).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
