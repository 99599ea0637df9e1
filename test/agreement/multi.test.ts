import { describe, expect, it } from 'vitest';
import { gwetAC1 } from '../../src/agreement/ac1.js';
import { krippendorffAlpha } from '../../src/agreement/alpha.js';
import { fleissKappa } from '../../src/agreement/fleiss.js';

// Published values: ../shared/oracles/agreement.md
const parse = (rows: string[]) => {
  const coders = rows.map((r) => r.trim().split(/\s+/).map((v) => (v === '.' ? null : Number(v))));
  return coders[0]!.map((_, u) => coders.map((c) => c[u]!)); // units × coders
};

describe("Krippendorff's alpha", () => {
  // Krippendorff (2011) p. 8: 4 coders × 12 units with missing data
  const k2011 = parse(['1 2 3 3 2 1 4 1 2 . . .', '1 2 3 3 2 2 4 1 2 5 . 3', '. 3 3 3 2 3 4 2 2 5 1 .', '1 2 3 3 2 4 4 1 2 5 1 .']);
  // Wikipedia: 3 coders × 15 units
  const wiki = parse(['. . . . . 3 4 1 2 1 1 3 3 . 3', '1 . 2 1 3 3 4 3 . . . . . . .', '. . 2 1 3 4 4 . 2 1 1 3 3 . 4']);

  it('4×12 with missing data: nominal 0.743, interval 0.849', () => {
    expect(krippendorffAlpha(k2011, 'nominal').alpha).toBeCloseTo(0.7434, 4);
    expect(krippendorffAlpha(k2011, 'interval').alpha).toBeCloseTo(0.849, 3);
  });

  it('3×15: nominal 0.691358, interval 0.810845', () => {
    expect(krippendorffAlpha(wiki, 'nominal').alpha).toBeCloseTo(0.691358, 6);
    expect(krippendorffAlpha(wiki, 'interval').alpha).toBeCloseTo(0.810845, 6);
  });

  it('ATLAS.ti binary example: nominal alpha 0.0952', () => {
    const a = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    const b = [0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
    expect(krippendorffAlpha(a.map((x, i) => [x, b[i]!])).alpha).toBeCloseTo(0.0952, 4);
  });

  it('is undefined, not 1, when every value is the same', () => {
    expect(krippendorffAlpha([[0, 0], [0, 0]]).alpha).toBeNull();
    expect(krippendorffAlpha([[1, null], [null, 0]])).toMatchObject({ alpha: null, pairable: 0 });
  });
});

describe("Fleiss' kappa", () => {
  it('the Wikipedia table (10 subjects × 5 categories, 14 raters): 0.210', () => {
    const table = '0 0 0 0 14 | 0 2 6 4 2 | 0 0 3 5 6 | 0 3 9 2 0 | 2 2 8 1 1 | 7 7 0 0 0 | 3 2 6 3 0 | 2 5 3 2 2 | 6 5 2 1 0 | 0 2 2 3 7'
      .split('|')
      .map((row) => row.trim().split(/\s+/).map(Number));
    expect(fleissKappa(table).kappa).toBeCloseTo(0.20993, 5);
  });

  it('is undefined when every rating is in one category', () => {
    expect(fleissKappa([[3, 0], [3, 0]]).kappa).toBeNull();
  });
});

describe("Gwet's AC1", () => {
  it('hand-worked 2×2: 100 units, 90 both absent, 4 both present, 6 disagreements', () => {
    // pa = 94/100 = 0.94. Shares of "present": A 7/100, B 7/100 → π = 0.07;
    // with q = 2: pe = [π(1-π) + (1-π)π]/(q-1) = 2·0.07·0.93 = 0.1302;
    // AC1 = (0.94 - 0.1302) / (1 - 0.1302) = 0.8098/0.8698 = 0.9310186...
    // (Cohen's kappa on the same table is only (0.94 - 0.8698)/(1 - 0.8698) = 0.539.)
    expect(gwetAC1([[4, 3], [3, 90]]).ac1).toBeCloseTo(0.931019, 6);
  });

  it('hand-worked 3×3', () => {
    // rows A, cols B; n = 10. pa = (2+3+2)/10 = 0.7
    // A's row sums 3,4,3; B's column sums 3,5,2 → shares .3, .45, .25
    // pe = (.3·.7 + .45·.55 + .25·.75)/(q-1 = 2) = .645/2 = .3225
    // AC1 = (.7 - .3225)/(1 - .3225) = .3775/.6775 = 0.557196
    expect(gwetAC1([[2, 1, 0], [1, 3, 0], [0, 1, 2]]).ac1).toBeCloseTo(0.557196, 6);
  });
});
