import { Chalk } from 'chalk';
import type { ExplainReport } from '../commands/explain.js';
import { sanitise } from './table.js';

/** The explain report as text: per dimension, what matched and what was dropped, with codebook lines. */
export function renderExplain(r: ExplainReport, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const t = r.turn;
  const out = [
    c.bold(`${sanitise(r.transcript)} #${t.turn} ${sanitise(t.speaker)} (${t.role})`) + c.dim(`  codebook ${r.codebook}`),
    `  ${sanitise(t.text)}`,
    c.dim(r.previous ? `  previous turn: #${r.previous.turn} ${sanitise(r.previous.speaker)} (${r.previous.role})` : '  previous turn: none'),
    '',
  ];
  const silent = r.dimensions.filter((d) => !d.matched.length && !d.dropped.length && !d.models.length);
  for (const d of r.dimensions) {
    if (silent.includes(d) && r.dimensions.length > 1) continue;
    const n = d.matched.length;
    const state = d.coded ? c.green(`coded (${n} match${n === 1 ? '' : 'es'})`) : c.dim('not coded');
    out.push(`${c.bold(d.label)} ${c.dim(`[${d.id}]`)}  ${state}${d.threshold !== undefined ? c.dim(`  threshold ${d.threshold}`) : ''}`);
    if (!n && !d.dropped.length && !d.models.length) out.push(c.dim('  no indicator matched'));
    // a model's match is the whole turn; its own lines below say more, with the features behind it
    const models = new Set(d.models.map((m) => `${m.line} ${m.indicator}`));
    for (const m of d.matched.filter((x) => !models.has(`${x.line} ${x.indicator}`))) out.push(`  ${c.green('✓')} line ${m.line}  "${sanitise(m.match)}"  ← ${sanitise(m.indicator)}`);
    for (const m of d.dropped.filter((x) => !models.has(`${x.line} ${x.indicator}`))) out.push(`  ${c.red('✗')} line ${m.line}  "${sanitise(m.match)}"  ← ${sanitise(m.indicator)}\n      ${c.yellow(m.why)}`);
    for (const m of d.models) {
      const verdict = `p = ${m.probability.toFixed(3)} ${m.reached ? '≥' : '<'} threshold ${m.threshold}`;
      out.push(`  ${m.counted ? c.green('✓') : c.red('✗')} line ${m.line}  ${sanitise(m.indicator)}  ${m.reached ? verdict : c.yellow(verdict)}${m.why ? `  ${c.yellow(m.why)}` : ''}`);
      out.push(c.dim(`      features that pushed it up most (weight × value; intercept ${m.intercept.toFixed(3)}):`));
      for (const f of m.contributions) {
        const value = f.value === 1 ? '' : ` × ${+f.value.toFixed(3)}`;
        out.push(`      ${(f.contribution >= 0 ? '+' : '') + f.contribution.toFixed(3)}  ${sanitise(f.feature)}  ${c.dim(`(${f.weight.toFixed(3)}${value})`)}`);
      }
    }
    out.push('');
  }
  if (silent.length && r.dimensions.length > 1) out.push(c.dim(`No indicator matched: ${silent.map((d) => d.id).join(', ')}`), '');
  return out.join('\n');
}
