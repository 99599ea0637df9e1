/**
 * The report in a real browser: Debian's Chromium, driven by playwright-core
 * (which downloads no browser). Every chart must render with the marks its data
 * calls for, no request may leave the page, and the console must stay clean.
 * Screenshots go to docs/.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/commands/report.js';
import type { ReportData } from '../../src/report/model.js';
import { HEATMAP_CAP, renderReport } from '../../src/report/page.js';
import { codedPairs } from '../../src/report/timeline.js';
import { ANNOMI } from '../cli/run.js';
import { annomiHuman, options } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'relcode-browser-'));

/** What each chart should hold, in page order: its kind and its number of marks, from the data. */
function expectedCharts(data: ReportData): { chart: string; marks: number }[] {
  // a bar per dimension for each of therapist and client that has words
  const voiced = (['therapist', 'client'] as const).filter((r) => data.transcripts.some((t) => t.byRole[r].words > 0)).length;
  return [
    { chart: 'rates', marks: data.dimensions.length * voiced },
    { chart: 'heatmap', marks: Math.min(HEATMAP_CAP, data.transcripts.length) * data.dimensions.length },
    ...data.timelines.map((t) => ({ chart: 'timeline', marks: codedPairs(t, data.dimensions.length) })),
    ...(data.agreement?.rows.length ? [{ chart: 'forest', marks: data.agreement.rows.filter((r) => r.kappa !== null).length }] : []),
  ];
}

interface Rendered {
  requests: string[];
  errors: string[];
  charts: { chart: string; width: number; height: number; marks: number; empty: number }[];
}

let context: BrowserContext | undefined;

async function render(html: string, name: string, screenshot: (page: import('playwright-core').Page) => Promise<void>): Promise<Rendered> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  // a fresh profile per run; CSP bypassed, so a reference in the markup would show up as a request
  context ??= await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'relcode-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    bypassCSP: true,
    viewport: { width: 1100, height: 900 },
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  const charts = await page.$$eval('svg[data-chart]', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('.mark')];
      // a mark that lays out to nothing (bars of a zero rate are allowed to)
      const empty = marks.filter((m) => {
        const r = m.getBoundingClientRect();
        return r.height === 0 || (r.width === 0 && m.getAttribute('width') !== '0');
      }).length;
      return { chart: (svg as SVGSVGElement).dataset.chart ?? '', width: box.width, height: box.height, marks: marks.length, empty };
    }),
  );
  await screenshot(page);
  await page.close();
  return { requests: requests.filter((r) => r !== url), errors, charts };
}

function check(r: Rendered, data: ReportData): void {
  expect(r.requests, 'requests that left the page').toEqual([]);
  expect(r.errors).toEqual([]);
  expect(r.charts.map((c) => ({ chart: c.chart, marks: c.marks }))).toEqual(expectedCharts(data));
  for (const c of r.charts) {
    expect(c.width, `${c.chart} width`).toBeGreaterThan(100);
    expect(c.height, `${c.chart} height`).toBeGreaterThan(20);
    expect(c.empty, `${c.chart} marks that did not render`).toBe(0);
  }
}

describe.skipIf(!existsSync(CHROMIUM))('the report in Chromium', () => {
  afterAll(async () => {
    await context?.close();
  });

  it('fixtures with a human coding: every chart renders, no request leaves the page, no console error', async () => {
    const data = await buildReport(options(['fixtures/transcripts'], { human: 'fixtures/coding/human.csv' }), () => {});
    const r = await render(renderReport(data), 'fixtures', (page) => page.screenshot({ path: join(DOCS, 'report-fixtures.png'), fullPage: true }).then(() => {}));
    check(r, data);
    expect(r.charts.filter((c) => c.chart === 'timeline')).toHaveLength(13);
  }, 120_000);

  it('the request listener does see a request when the markup makes one (control)', async () => {
    const data = await buildReport(options(['fixtures/transcripts/sample-session.txt']), () => {});
    const html = renderReport(data).replace('</main>', '<img alt="" src="http://127.0.0.1:9/pixel.png"></main>');
    const r = await render(html, 'control', async () => {});
    expect(r.requests).toEqual(['http://127.0.0.1:9/pixel.png']);
  }, 60_000);

  it.skipIf(!existsSync(ANNOMI))('AnnoMI with the experts’ reflections as the human coding', async () => {
    // a fixed path: the report shows it, and the screenshot should not change from run to run
    const human = join(tmpdir(), 'relcode-annomi', 'annomi-human.csv');
    mkdirSync(dirname(human), { recursive: true });
    annomiHuman(human);
    const data = await buildReport(options([ANNOMI], { human }), () => {});
    const html = renderReport(data);
    const r = await render(html, 'annomi', async (page) => {
      // the top of the page (overview, rates, heatmap, first timelines) and the agreement section
      const cut = await page.$eval('#timelines figure.timeline:nth-of-type(3)', (e) => e.getBoundingClientRect().top + window.scrollY);
      await page.screenshot({ path: join(DOCS, 'report-annomi.png'), fullPage: true, clip: { x: 0, y: 0, width: 1100, height: Math.round(cut) } });
      const box = (await page.locator('#agreement').boundingBox())!;
      await page.screenshot({ path: join(DOCS, 'report-annomi-agreement.png'), fullPage: true, clip: { x: 0, y: Math.round(box.y) - 16, width: 1100, height: Math.min(1500, Math.round(box.height) + 16) } });
    });
    check(r, data);
    expect(r.charts.filter((c) => c.chart === 'timeline')).toHaveLength(50);
    expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
  }, 120_000);
});

describe.skipIf(existsSync(CHROMIUM))('the report in Chromium', () => {
  it.skip(`skipped: ${CHROMIUM} is not installed (apt-get install chromium); the browser checks need Debian's Chromium`, () => {});
});
