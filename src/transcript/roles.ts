import { diagnostic, fail, type Report } from '../diagnostics.js';
import { ROLES, withOptionalFields, type RawTranscript, type Role, type Transcript, type Turn } from './model.js';

/** Speaker label → role, as case-insensitive globs (`*`, `?`) on the whole normalised label. */
export interface RolePatterns {
  therapist: string[];
  client: string[];
  other?: string[];
}

export const DEFAULT_ROLE_PATTERNS: RolePatterns = {
  therapist: [
    'therapist*', 'counsel*', 'clinician', 'interviewer', 't', 'th',
    'dr *', 'dr. *', 'doctor', 'doctor *', 'psychologist', 'psychiatrist', 'psychotherapist',
  ],
  client: ['client*', 'patient*', 'participant*', 'interviewee', 'c', 'p', 'cl', 'pt'],
  other: ['interpreter*', 'translator*', 'observer*'],
};

/** Trimmed, lower-case, trailing `:` removed, inner whitespace collapsed. */
export function normaliseLabel(label: string): string {
  return label.trim().replace(/:$/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

function globToRegExp(glob: string): RegExp {
  const body = normaliseLabel(glob)
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'u');
}

type Compiled = [Role, RegExp[]][];
const compiled = new WeakMap<RolePatterns, Compiled>();

function compile(patterns: RolePatterns): Compiled {
  let c = compiled.get(patterns);
  if (!c) {
    // Order matters when patterns overlap: therapist, then client, then other.
    c = ROLES.map((role) => [role, (patterns[role] ?? []).map(globToRegExp)]);
    compiled.set(patterns, c);
  }
  return c;
}

/** The role whose patterns match the label, or undefined. */
export function matchRole(label: string, patterns: RolePatterns): Role | undefined {
  const norm = normaliseLabel(label);
  for (const [role, regexps] of compile(patterns)) {
    if (regexps.some((re) => re.test(norm))) return role;
  }
  return undefined;
}

/**
 * Gives every turn a role: `--role` overrides (exact normalised label) first, then the patterns.
 * An unresolved speaker is reported once per transcript and coded `other`.
 */
export function resolveRoles(
  raw: RawTranscript,
  patterns: RolePatterns,
  overrides: Record<string, Role>,
  report: Report,
): Transcript {
  const exact = new Map(Object.entries(overrides).map(([k, v]) => [normaliseLabel(k), v]));
  const byLabel = new Map<string, Role | undefined>();
  const unknown = new Map<string, { line?: number; turns: number }>();
  const turns = raw.turns.map((t) => {
    let role: Role | undefined;
    if (byLabel.has(t.speaker)) role = byLabel.get(t.speaker);
    else {
      role = exact.get(normaliseLabel(t.speaker)) ?? t.role ?? matchRole(t.speaker, patterns);
      byLabel.set(t.speaker, role);
    }
    if (role === undefined) {
      const u = unknown.get(t.speaker);
      if (u) u.turns++;
      else unknown.set(t.speaker, { line: t.line, turns: 1 });
    }
    return withOptionalFields<Turn>(t, { turn: t.turn, speaker: t.speaker, text: t.text, role: role ?? 'other' });
  });
  const file = raw.source === '-' ? '<stdin>' : raw.source;
  for (const [label, { line, turns: n }] of unknown) {
    report(
      diagnostic(
        'warning',
        'unknown-speaker',
        line === undefined ? { file } : { file, line },
        `speaker "${label}" in transcript "${raw.id}" has no role; its ${n === 1 ? 'turn is' : `${n} turns are`} coded as other`,
        `add it to \`roles:\` in the codebook or pass --role '${label}=therapist'`,
      ),
    );
  }
  return { id: raw.id, source: raw.source, turns };
}

/** Parses repeated `--role LABEL=ROLE` values into overrides keyed by normalised label. */
export function parseRoleOption(values: string[]): Record<string, Role> {
  const place = { file: '<command line>' };
  const hint = `write --role 'LABEL=ROLE' with ROLE one of ${ROLES.join(', ')}, e.g. --role 'Dr. Lee=therapist'`;
  // no prototype: a label such as `constructor` or `__proto__` is just a label
  const out: Record<string, Role> = Object.create(null);
  for (const value of values) {
    const eq = value.lastIndexOf('=');
    const label = eq < 0 ? '' : normaliseLabel(value.slice(0, eq));
    const role = eq < 0 ? '' : value.slice(eq + 1).trim().toLowerCase();
    if (!label || !role) fail('bad-role-option', place, `--role "${value}" is not LABEL=ROLE`, hint);
    if (!(ROLES as readonly string[]).includes(role)) {
      fail('bad-role-option', place, `--role "${value}": unknown role "${role}"`, hint);
    }
    const prev = out[label];
    if (prev !== undefined && prev !== role) {
      fail('bad-role-option', place, `--role gives "${label}" two roles: ${prev} and ${role}`, hint);
    }
    out[label] = role as Role;
  }
  return out;
}
