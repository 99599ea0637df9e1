import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import type { RawTranscript } from '../../src/transcript/model.js';
import {
  DEFAULT_ROLE_PATTERNS,
  matchRole,
  normaliseLabel,
  parseRoleOption,
  resolveRoles,
  type RolePatterns,
} from '../../src/transcript/roles.js';

describe('matchRole', () => {
  const cases: [string, string | undefined][] = [
    ['Therapist', 'therapist'],
    ['THERAPIST:', 'therapist'],
    ['  therapist  ', 'therapist'],
    ['Therapist 2', 'therapist'],
    ['Counsellor', 'therapist'],
    ['Counselor', 'therapist'],
    ['T', 'therapist'],
    ['Dr. Lee', 'therapist'],
    ['Dr   Lee', 'therapist'],
    ['Interviewer', 'therapist'],
    ['Client', 'client'],
    ['client 2', 'client'],
    ['PATIENT', 'client'],
    ['C', 'client'],
    ['Pt', 'client'],
    ['Interpreter', 'other'],
    ['Mother', undefined],
    ['Tom', undefined],
  ];
  it.each(cases)('%s → %s', (label, role) => {
    expect(matchRole(label, DEFAULT_ROLE_PATTERNS)).toBe(role);
  });

  it('supports `?` and `*` globs, and escapes the rest', () => {
    const p: RolePatterns = { therapist: ['t?'], client: ['cl.*'] };
    expect(matchRole('T1', p)).toBe('therapist');
    expect(matchRole('T12', p)).toBeUndefined();
    expect(matchRole('cl.x', p)).toBe('client');
    expect(matchRole('clx', p)).toBeUndefined();
  });

  it('normalises labels', () => {
    expect(normaliseLabel('  Dr.   LEE : ')).toBe('dr. lee');
  });
});

function raw(speakers: string[], id = 's1'): RawTranscript {
  return { id, source: 's1.txt', turns: speakers.map((speaker, i) => ({ turn: i + 1, speaker, text: 'x', line: i + 3 })) };
}

describe('resolveRoles', () => {
  it('resolves roles from patterns', () => {
    const t = resolveRoles(raw(['T', 'C', 'Dr. Lee']), DEFAULT_ROLE_PATTERNS, {}, () => {});
    expect(t.turns.map((x) => x.role)).toEqual(['therapist', 'client', 'therapist']);
  });

  it('lets --role overrides win over patterns', () => {
    const overrides = parseRoleOption(['t=client', 'MOTHER=other', 'Anna = client']);
    const warnings: Diagnostic[] = [];
    const t = resolveRoles(raw(['T', 'Mother', 'anna']), DEFAULT_ROLE_PATTERNS, overrides, (d) => warnings.push(d));
    expect(t.turns.map((x) => x.role)).toEqual(['client', 'other', 'client']);
    expect(warnings).toEqual([]);
  });

  it('reports an unknown speaker once per transcript and codes it other', () => {
    const warnings: Diagnostic[] = [];
    const report = (d: Diagnostic) => warnings.push(d);
    const t = resolveRoles(raw(['T', 'Mother', 'Mother', 'C', 'Mother']), DEFAULT_ROLE_PATTERNS, {}, report);
    expect(t.turns.map((x) => x.role)).toEqual(['therapist', 'other', 'other', 'client', 'other']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', ruleId: 'unknown-speaker', file: 's1.txt', line: 4 });
    expect(warnings[0]!.message).toContain('Mother');
    expect(warnings[0]!.message).toContain('s1');
    expect(warnings[0]!.message).toContain('3 turns');
    expect(warnings[0]!.hint).toContain('--role');
    resolveRoles(raw(['Mother'], 's2'), DEFAULT_ROLE_PATTERNS, {}, report);
    expect(warnings).toHaveLength(2);
  });
});

describe('parseRoleOption', () => {
  it('parses LABEL=ROLE into normalised labels', () => {
    expect(parseRoleOption(['Dr. Lee=therapist', ' Mum =OTHER', 'a=b=client'])).toEqual({
      'dr. lee': 'therapist',
      mum: 'other',
      'a=b': 'client',
    });
  });

  it.each([['Lee'], ['=therapist'], ['Lee='], ['Lee=doctor']])('rejects %s', (value) => {
    try {
      parseRoleOption([value]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).diagnostics[0]).toMatchObject({ ruleId: 'bad-role-option', file: '<command line>' });
    }
  });

  it('rejects one label given two roles', () => {
    expect(() => parseRoleOption(['Lee=therapist', 'lee=client'])).toThrow(InputError);
  });
});
