import { diagnostic, fail, type Report } from '../../diagnostics.js';
import type { RawTranscript, RawTurn } from '../model.js';
import type { RolePatterns } from '../roles.js';
import { parseLabelledLine } from './text.js';

export interface SubtitleReadOptions {
  file: string;
  source: string;
  id: string;
  rolePatterns: RolePatterns;
  kind: 'vtt' | 'srt';
}

/** The speaker of a cue with no voice tag and no `Name:` label. */
export const UNKNOWN_SPEAKER = 'unknown';

/** `[hh:]mm:ss.ttt`; SRT writes `,` before the milliseconds, so either is accepted. */
const TIMESTAMP = /^(?:\d+:)?([0-5]\d):([0-5]\d)[.,]\d{1,3}$/;
const TIMING_HINT = {
  vtt: 'a timing line reads `00:01:02.500 --> 00:01:05.000`, optionally followed by cue settings',
  srt: 'a timing line reads `00:01:02,500 --> 00:01:05,000`',
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', quot: '"', apos: "'", lrm: '', rlm: '' };

/** Decodes the character references WebVTT allows (and SRT writers use), in one pass. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return Object.hasOwn(ENTITIES, name.toLowerCase()) ? ENTITIES[name.toLowerCase()]! : whole;
  });
}

/**
 * Cue text → plain text: tags (`<b>`, `<i>`, `<c.class>`, `<v Name>`, `<lang en>`, `<ruby>`,
 * timestamp tags `<00:00:01.000>`, SRT's `<font …>`) and SRT's `{\an8}` position codes go,
 * entities are decoded, lines are joined with a space.
 */
export function cueText(lines: string[]): string {
  const joined = lines.join(' ').replace(/<[^>]*>/g, '').replace(/\{\\[^}]*\}/g, '');
  return decodeEntities(joined).replace(/\s+/g, ' ').trim();
}

/** Where each `<v Name>` voice span starts in the cue text, and whose it is. */
const VOICE = /<v(?:\.[^\s>]*)?[ \t]+([^>]*)>/g;

interface Segment {
  speaker?: string;
  text: string;
}

/**
 * The speakers of one cue. Voice tags split a cue that holds several speakers;
 * without them, a `Name:` label on the cue's first line names the speaker
 * (the text reader's label rules). Otherwise the speaker is unknown.
 */
export function cueSegments(lines: string[], patterns: RolePatterns): Segment[] {
  const raw = lines.join('\n');
  const voices = [...raw.matchAll(VOICE)];
  if (voices.length > 0) {
    const segments: Segment[] = [];
    voices.forEach((v, i) => {
      const speaker = decodeEntities(v[1]!).replace(/\s+/g, ' ').trim();
      // text before the first voice tag belongs to the first speaker
      const from = i === 0 ? 0 : v.index;
      const to = voices[i + 1]?.index ?? raw.length;
      const text = cueText([raw.slice(from, to)]);
      const last = segments[segments.length - 1];
      if (last && last.speaker === speaker) last.text = `${last.text} ${text}`.trim();
      else segments.push({ speaker, text });
    });
    return segments;
  }
  // the label is looked for at the start of the whole cue, i.e. on its first line
  const text = cueText(lines);
  const labelled = parseLabelledLine(text, patterns);
  return [labelled ? { speaker: labelled.label, text: labelled.text } : { text }];
}

/** A VTT block that is not a cue: comments, style sheets, region definitions. */
const NOT_A_CUE = /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/;

/**
 * WebVTT or SRT: one turn per cue, with the cue's times as `start`/`end`, written as in the file.
 * Cues of one speaker in a row are not merged: captioning tools cut speech into cues by
 * length, not by turn, and merging would change the turn numbers a coder sees in the player.
 * A cue whose speaker cannot be found is a turn of speaker `unknown` (reported by the role
 * check like any speaker without a role) rather than borrowing the previous cue's speaker:
 * a wrong speaker gives a wrong role, silently.
 */
export function parseSubtitles(content: string, options: SubtitleReadOptions, report: Report): RawTranscript {
  const { file, kind } = options;
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let i = 0;
  if (kind === 'vtt') {
    if (!/^WEBVTT(?:[ \t]|$)/.test(lines[0] ?? '')) {
      fail('bad-vtt', { file, line: 1 }, 'a WebVTT file must start with a `WEBVTT` line',
        'add `WEBVTT` as the first line, or read the file as SRT with --input-format srt');
    }
    // the header runs to the first blank line; a timing line ends it too, as the header cannot hold one
    i = 1;
    while (i < lines.length && lines[i]!.trim() !== '' && !lines[i]!.includes('-->')) i++;
  }
  const turns: RawTurn[] = [];
  let empty = { count: 0, first: 0 };
  while (i < lines.length) {
    if (lines[i]!.trim() === '') {
      i++;
      continue;
    }
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') block.push(lines[i++]!);
    if (kind === 'vtt' && NOT_A_CUE.test(block[0]!)) continue;
    // an identifier (VTT) or sequence number (SRT) may precede the timing line
    const t = block[0]!.includes('-->') ? 0 : 1;
    const timingLine = blockStart + t + 1;
    const timing = block[t];
    if (timing === undefined || !timing.includes('-->')) {
      fail('bad-timing', { file, line: blockStart + 1 }, 'this block has no timing line', `${TIMING_HINT[kind]}; a blank line ends a cue, so cue text cannot hold one`);
    }
    const m = /^\s*(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/.exec(timing);
    const bad = !m ? timing : [m[1]!, m[2]!].find((s) => !TIMESTAMP.test(s));
    if (!m || bad !== undefined) {
      const col = bad === timing ? 1 : timing.indexOf(bad!) + 1;
      fail('bad-timing', { file, line: timingLine, col }, `malformed timing line${bad === timing ? '' : `: "${bad}" is not a time`}`, TIMING_HINT[kind]);
    }
    const segments = cueSegments(block.slice(t + 1), options.rolePatterns).filter((s) => s.text !== '');
    if (segments.length === 0) {
      if (empty.count === 0) empty = { count: 0, first: timingLine };
      empty.count++;
      continue;
    }
    for (const s of segments) {
      turns.push({ turn: turns.length + 1, speaker: s.speaker || UNKNOWN_SPEAKER, text: s.text, start: m[1]!, end: m[2]!, line: timingLine });
    }
  }
  if (turns.length === 0) {
    fail('no-turns', { file }, `no ${kind === 'vtt' ? 'WebVTT' : 'SRT'} cue with text`,
      kind === 'vtt' ? 'a cue is a timing line `00:00:01.000 --> 00:00:04.000` and its text, e.g. `<v Therapist>Hello.`' : 'a cue is a number, a timing line `00:00:01,000 --> 00:00:04,000` and its text, e.g. `Therapist: Hello.`');
  }
  if (empty.count > 0) {
    const n = empty.count;
    report({
      ...diagnostic('warning', 'empty-cue', { file, line: empty.first }, `skipped ${n} cue${n === 1 ? '' : 's'} with no text`),
      skipped: n,
    });
  }
  return { id: options.id, source: options.source, turns };
}
