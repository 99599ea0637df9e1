import { fail, type Report } from '../../diagnostics.js';
import type { RawTranscript, RawTurn, Role } from '../model.js';

export interface ChatReadOptions {
  file: string;
  source: string;
  id: string;
}

/** One entry of `@Participants:` — `THE Ana_Ruiz Therapist` or `CHI Target_Child`. */
export interface Participant {
  code: string;
  /** the name with `_` read as spaces, when the entry gives one */
  name?: string;
  /** the CHAT role as written, e.g. `Therapist`, `Target_Adult` */
  chatRole?: string;
}

/** A turn whose source states its speaker's role (`@Participants:`). */

export interface ChatTranscript extends RawTranscript {
  turns: RawTurn[];
  participants: Participant[];
}

/** CHAT roles with a clear place in a therapy session; any other role leaves it to the role patterns. */
const CHAT_ROLES: Record<string, Role> = {
  therapist: 'therapist', investigator: 'therapist', interviewer: 'therapist',
  patient: 'client', client: 'client', participant: 'client', target_adult: 'client',
};

export function chatRole(role: string | undefined): Role | undefined {
  return role === undefined || !Object.hasOwn(CHAT_ROLES, role.toLowerCase()) ? undefined : CHAT_ROLES[role.toLowerCase()];
}

/** `THE Ana_Ruiz Therapist, PAT Patient` → participants; the role is the last word, the name the middle one. */
export function parseParticipants(value: string): Participant[] {
  return value
    .split(',')
    .map((entry) => entry.trim().split(/\s+/))
    .filter((words) => words[0] !== '')
    .map(([code, ...rest]) => {
      const p: Participant = { code: code! };
      if (rest.length > 0) p.chatRole = rest[rest.length - 1]!;
      if (rest.length > 1) p.name = rest.slice(0, -1).join(' ').replace(/_/g, ' ');
      return p;
    });
}

/** A time bullet `\u0015start_end\u0015` in milliseconds (shown as `·123_456·` by some tools). */
const BULLET = /[\u0015\u00b7](\d+)_(\d+)[\u0015\u00b7]/g;
/** CA and prosody marks inside words: lengthening `:`, blocking `^`, stress, pitch, overlap, speed, volume, tags */
const MARKS = /[:^ˈˌ↑↓⇗↗→↘⇘∞≈≋≡∙⌈⌉⌊⌋∆∇⁎⁇°◉▁▔☺♋Ϋ∲§∾↻„‡]/g;

const seconds = (ms: string) => (Number(ms) / 1000).toFixed(3);

/** One token of a main tier → the spoken word or punctuation it stands for, or '' to drop it. */
function cleanToken(token: string): string {
  // utterance linkers (`+<`, `++`, `+"`) and special terminators (`+...`, `+/.`, `+//?`, `+!?`);
  // one that ends a question stays a `?`, since indicators may tell questions from statements
  if (token.startsWith('+') && !/\p{L}/u.test(token)) return token.endsWith('?') ? '?' : '';
  let t = token.replace(/[<>]/g, ''); // scope of a following [code]: keep the words
  if (t.startsWith('&')) return ''; // &-um fillers, &=laughs events, &+fr fragments, &~ nonwords, &*, &{ &}
  t = t.replace(/@\S*$/, ''); // word@c, word@s:spa …: special-form markers
  if (/^(?:xxx|yyy|www)$/i.test(t)) return ''; // unintelligible, phonetic-only, untranscribed
  if (t.startsWith('0')) return ''; // 0 = no speech; 0word = an omitted word the speaker did not say
  if (/^\([\d.:]*\)$/.test(t)) return ''; // pauses (.) (..) (...) (1.5)
  // (be)cause: the omitted sound is part of the word; a_lot, New_York: one word in CHAT, two here
  return t.replace(/[()]/g, '').replace(MARKS, '').replace(/_/g, ' ');
}

/**
 * Main-tier text → plain text and its time bullet. Removed, one by one:
 * - time bullets `\u0015123_4567\u0015` (kept as start/end, in seconds with 3 decimals);
 * - every bracketed code with its content: retracing `[/]` `[//]` `[///]`, `[=! laughs]`,
 *   `[% comment]`, `[+ bch]`, `[= explanation]`, `[: replacement]`, `[*]`, overlaps `[<]` `[>]`, `[x 3]`;
 *   the `<` `>` around the words a code scopes go too, the words stay (`<I was> [/] I was` → `I was I was`);
 * - `&`-words: fillers `&-um`, events `&=laughs`, fragments `&+fr`, nonwords `&~`, `&*`, `&{l=` `&}l=`;
 * - `xxx` `yyy` `www`, `0` and `0word`, pauses `(.)` `(..)` `(...)` `(1.5)`;
 * - linkers `+<` `++` `+^` `+"` `+,` and terminators `+...` `+/.` `+//.` `+"/.` (`+/?` `+..?` `+!?` become `?`);
 * - `@c` `@s:spa` … word suffixes, the parentheses of `(be)cause`, CA marks such as `:` `^` `↑` `⌈`;
 *   `_` in words becomes a space.
 * Plain terminators `.` `?` `!` and commas stay, attached to the word before them.
 */
export function cleanChatText(text: string): { text: string; start?: string; end?: string } {
  let start: string | undefined;
  let end: string | undefined;
  const unbulleted = text.replace(BULLET, (_whole, a: string, b: string) => {
    start ??= seconds(a);
    end = seconds(b);
    return ' ';
  });
  const words = unbulleted
    .replace(/\[[^\]]*\]/g, ' ')
    .split(/\s+/)
    .map(cleanToken)
    .filter((t) => t !== '');
  let plain = words.join(' ').replace(/\s+([.,;!?])/g, '$1').trim();
  if (/^[.,;!?\s]*$/.test(plain)) plain = ''; // `0 .`: nothing was said
  const out: { text: string; start?: string; end?: string } = { text: plain };
  if (start !== undefined) out.start = start;
  if (end !== undefined) out.end = end;
  return out;
}

const LINE_HINT = 'CHAT lines start with @ (a header), *CODE: (a speaker tier), %xxx: (a dependent tier) or a tab (a continuation)';

/**
 * TalkBank CHAT: each `*CODE:` main tier is a turn (tab-indented lines continue it), spoken by
 * the participant CODE; `%` dependent tiers and `@` headers other than `@Participants` are
 * left out. A participant's CHAT role, when it maps to a therapy role, is kept on its turns.
 */
export function parseChat(content: string, options: ChatReadOptions, _report: Report): ChatTranscript {
  const { file } = options;
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  // logical lines: a tier and its continuation lines
  const tiers: { line: number; text: string }[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    if (/^\s/.test(raw)) {
      const last = tiers[tiers.length - 1];
      if (!last) fail('bad-chat-line', { file, line: i + 1 }, 'a continuation line before any tier', LINE_HINT);
      last.text += ` ${raw.trim()}`;
    } else if (/^[@*%]/.test(raw)) {
      tiers.push({ line: i + 1, text: raw });
    } else {
      fail('bad-chat-line', { file, line: i + 1 }, 'not a CHAT line', LINE_HINT);
    }
  });
  let participants: Participant[] = [];
  const turns: RawTurn[] = [];
  for (const { line, text } of tiers) {
    if (text.startsWith('@')) {
      const p = /^@Participants:\s*(.*)$/i.exec(text);
      if (p) participants = parseParticipants(p[1]!);
      continue;
    }
    if (text.startsWith('%')) continue;
    const m = /^\*([^:\s]+):(?:\s+(.*))?$/.exec(text);
    if (!m) fail('bad-chat-line', { file, line }, 'a speaker tier without `*CODE:`', 'a speaker tier reads `*CODE:<tab>text`, e.g. `*THE:\thow are you ?`');
    const clean = cleanChatText(m[2] ?? '');
    const turn: RawTurn = { turn: turns.length + 1, speaker: m[1]!, text: clean.text, line };
    if (clean.start !== undefined) turn.start = clean.start;
    if (clean.end !== undefined) turn.end = clean.end;
    turns.push(turn);
  }
  if (turns.length === 0) {
    fail('no-turns', { file }, 'no speaker tier (`*CODE:`) in the file', 'each utterance is a line `*CODE:<tab>text`, with CODE declared in `@Participants:`');
  }
  const roles = new Map(participants.map((p) => [p.code, chatRole(p.chatRole)]));
  for (const t of turns) {
    const role = roles.get(t.speaker);
    if (role !== undefined) t.role = role;
  }
  return { id: options.id, source: options.source, turns, participants };
}
