/**
 * The progress bar of long `code` runs, on stderr and only on a terminal:
 * files done/total, turns per second and the time left. A pure renderer, and a
 * thin ticker that redraws in place with `\r` at most ~10 times a second. It
 * uses no timer, so it can never keep the process alive.
 */
import type { CodeProgress } from '../commands/code.js';

export interface ProgressState {
  filesDone: number;
  files: number;
  turns: number;
  elapsedMs: number;
}

/** One line, shorter than `width` (writing the last column makes some terminals wrap). */
export function renderProgress(s: ProgressState, width: number): string {
  const seconds = s.elapsedMs / 1000;
  const fraction = s.files > 0 ? Math.min(1, s.filesDone / s.files) : 1;
  const rate = seconds > 0 ? Math.round(s.turns / seconds) : 0;
  const eta = s.filesDone >= s.files ? 0 : s.filesDone > 0 ? (seconds * (s.files - s.filesDone)) / s.filesDone : undefined;
  const left = `${s.filesDone.toLocaleString('en-US')}/${s.files.toLocaleString('en-US')} files`;
  const right = `${String(Math.floor(fraction * 100)).padStart(3)}%  ${rate.toLocaleString('en-US')} turns/s  ETA ${eta === undefined ? '--:--' : duration(eta)}`;
  const room = width - 1 - left.length - right.length - 2;
  if (room < 10) return `${left}  ${right}`.slice(0, Math.max(0, width - 1));
  const filled = Math.round(fraction * room);
  return `${left} ${'█'.repeat(filled)}${'░'.repeat(room - filled)} ${right}`;
}

/** m:ss, or h:mm:ss from an hour on. */
export function duration(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const ss = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface Ticker {
  update(p: CodeProgress): void;
  /** wipes the bar, e.g. before a warning or the totals line; the next update draws it again */
  clear(): void;
  stop(): void;
}

export interface TickerOptions {
  now?: () => number;
  /** nothing is drawn before the run is this old, so short runs never flash a bar */
  delayMs?: number;
  intervalMs?: number;
}

/** A ticker on `stream`, or undefined when it is not a terminal (pipes and files see nothing). */
export function startProgress(stream: NodeJS.WriteStream, options: TickerOptions = {}): Ticker | undefined {
  if (!stream.isTTY) return undefined;
  const now = options.now ?? (() => performance.now());
  const delay = options.delayMs ?? 1000;
  const interval = options.intervalMs ?? 100;
  const started = now();
  let drawn = 0; // length of the line on screen
  let last = -Infinity;
  let stopped = false;
  const clear = () => {
    if (drawn > 0) stream.write(`\r${' '.repeat(drawn)}\r`);
    drawn = 0;
  };
  return {
    update(p) {
      const t = now();
      if (stopped || t - started < delay || t - last < interval) return;
      last = t;
      const line = renderProgress({ filesDone: p.filesDone, files: p.files, turns: p.turns, elapsedMs: t - started }, stream.columns || 80);
      stream.write(`\r${line.padEnd(drawn)}`);
      drawn = line.length;
    },
    clear,
    stop() {
      clear();
      stopped = true;
    },
  };
}
