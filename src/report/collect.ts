/**
 * Folds coded transcripts, one at a time, into what the report draws: a tally
 * per transcript and role, the coded flags of the first `timelines` transcripts,
 * and the top excerpts. Nothing else of a transcript is kept.
 */
import type { CodedTranscript, DimensionInfo } from '../coding/model.js';
import { ExcerptCollector, type Excerpt } from '../output/table.js';
import { ROLES, type Role } from '../transcript/model.js';
import type { Tally, Timeline, TranscriptSummary } from './model.js';

export interface CollectOptions {
  /** excerpts per dimension */
  excerpts: number;
  /** how many transcripts get a timeline */
  timelines: number;
}

export interface Collected {
  transcripts: TranscriptSummary[];
  timelines: Timeline[];
  timelinesOmitted: number;
  excerpts: Record<string, Excerpt[]>;
}

export class ReportCollector {
  private readonly transcripts: TranscriptSummary[] = [];
  private readonly timelines: Timeline[] = [];
  private omitted = 0;
  private readonly excerpts: ExcerptCollector;

  constructor(
    private readonly dimensions: DimensionInfo[],
    private readonly options: CollectOptions,
  ) {
    this.excerpts = new ExcerptCollector(dimensions, options.excerpts);
  }

  add(t: CodedTranscript): void {
    const ids = this.dimensions.map((d) => d.id);
    const all = emptyTally(ids.length);
    const byRole = Object.fromEntries(ROLES.map((r) => [r, emptyTally(ids.length)])) as Record<Role, Tally>;
    for (const turn of t.turns) {
      for (const tally of [all, byRole[turn.role]]) {
        tally.turns++;
        tally.words += turn.words;
        ids.forEach((id, d) => {
          const n = turn.counts[id] ?? 0;
          tally.matches[d]! += n;
          if (n > 0) tally.coded[d]!++;
        });
      }
    }
    this.transcripts.push({ id: t.id, source: t.source, all, byRole });
    if (this.timelines.length < this.options.timelines) this.timelines.push(timelineOf(t, ids));
    else this.omitted++;
    this.excerpts.add(t);
  }

  result(): Collected {
    const excerpts: Record<string, Excerpt[]> = {};
    for (const [id, list] of this.excerpts.result()) excerpts[id] = list;
    return { transcripts: this.transcripts, timelines: this.timelines, timelinesOmitted: this.omitted, excerpts };
  }
}

function emptyTally(dimensions: number): Tally {
  return { turns: 0, words: 0, matches: new Array<number>(dimensions).fill(0), coded: new Array<number>(dimensions).fill(0) };
}

function timelineOf(t: CodedTranscript, ids: string[]): Timeline {
  const stride = Math.max(1, Math.ceil(ids.length / 8));
  const flags = new Uint8Array(t.turns.length * stride);
  const roles = new Uint8Array(t.turns.length);
  const turnNumbers = new Int32Array(t.turns.length);
  t.turns.forEach((turn, i) => {
    roles[i] = ROLES.indexOf(turn.role);
    turnNumbers[i] = turn.turn;
    ids.forEach((id, d) => {
      if ((turn.counts[id] ?? 0) > 0) flags[i * stride + (d >> 3)]! |= 1 << (d & 7);
    });
  });
  return { id: t.id, turnNumbers, roles, flags, stride };
}

/** Sums tallies (of several transcripts, or roles). */
export function addTallies(tallies: Tally[], dimensions: number): Tally {
  const sum = emptyTally(dimensions);
  for (const t of tallies) {
    sum.turns += t.turns;
    sum.words += t.words;
    for (let d = 0; d < dimensions; d++) {
      sum.matches[d]! += t.matches[d] ?? 0;
      sum.coded[d]! += t.coded[d] ?? 0;
    }
  }
  return sum;
}
