// `npm run bench`: where the product stands against the goals of issue 27, then the tables behind
// them: the lifecycle against raw Temporal of the same shape, how its cost grows, a simulated year,
// the pages behind the e-mailed links under load against a bare server, the worker's memory, the
// PDF files, the SQL statements of one promise, and the lifecycle on two processes of each.
// Provisions like `npm test` (the Temporal CLI, PostgreSQL's programs), starts everything as in
// production (bench/stack.ts), and prints tables, ratios first, with the machine's load.
// Sizes: BENCH_PROMISES (40), BENCH_PAIRS (3), BENCH_CONCURRENCY (8), BENCH_GROWTH ("10,40,160"),
// BENCH_MEMORY ("500,2000"), BENCH_PDF_ROUNDS (20), BENCH_STATEMENT_PROMISES (5). BENCH_PARTS
// ("1,2,3,4,5,6,7,8") runs some parts only; BENCH_PROFILE=<dir> has the API and the worker write CPU
// profiles there (.cpuprofile, for Chrome's DevTools).
import { cpus, loadavg } from 'node:os';
import { ensureTemporalCli, ensureTimeSkippingTestServer, findPostgresBinaries, ProvisionError, step } from '../scripts/lib/provision';
import { loadPage, type Load } from './http-load';
import { baselineBatch, productBatch, type Batch } from './lifecycle';
import { percentile } from './measures';
import { linkPaths } from './pages';
import { pdfFigures, type PdfFigure } from './pdf';
import { startBenchStack } from './stack';
import { SIGNATURES } from './baseline/workflows';
import { STYLESHEET_PATH } from '../api/pages/html';
import { memoryInYear, type MemoryPoint } from './memory';
import { simulatedYears, type YearResult } from './year';
import { goalRows, type Findings } from './goals';
import { statementsPerPromise, type StatementCounts } from './statements';

const PRODUCT_PROCESSES = ['API', 'worker', 'Temporal', 'PostgreSQL'];
const CLIENTS = 50;
const LOAD_SECONDS = 10;
const BASELINE_PROCESSES = ['baseline-worker', 'Temporal'];

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new ProvisionError(`${name} ska vara ett heltal större än 0.`);
  return value;
};

/** A comma-separated list of whole numbers above 0, e.g. BENCH_GROWTH="10,40,160". */
const settingList = (name: string, fallback: string) => {
  const values = (process.env[name] ?? fallback).split(',').map(Number);
  if (!values.every((value) => Number.isInteger(value) && value >= 1))
    throw new ProvisionError(`${name} ska vara heltal större än 0, åtskilda med komma (t.ex. ${fallback}).`);
  return values;
};

const median = (values: number[]) => percentile(values, 50);
const throughput = (b: Batch) => b.promises / (b.wallMs / 1000);
const cpuPerPromise = (b: Batch, processes: string[]) => processes.reduce((sum, name) => sum + (b.cpuMs[name] ?? 0), 0) / b.promises;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const fixed = (n: number, digits = 2) => n.toFixed(digits);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** A ratio of the product's figure to the baseline's, per A/B pair: the median and the range. */
function ratio(pairs: [Batch, Batch][], figure: (b: Batch) => number): string {
  const ratios = pairs.map(([product, baseline]) => figure(product) / figure(baseline));
  return `${fixed(median(ratios))} (${fixed(Math.min(...ratios))}–${fixed(Math.max(...ratios))})`;
}

async function main() {
  const temporalCli = await step('Temporal CLI (utvecklingsserver)', ensureTemporalCli);
  const postgresBin = await step('PostgreSQL-program', findPostgresBinaries);
  const testServer = await step('Temporals tidshoppande testserver', ensureTimeSkippingTestServer);
  const promises = setting('BENCH_PROMISES', 40);
  const pairs = setting('BENCH_PAIRS', 3);
  const concurrency = setting('BENCH_CONCURRENCY', 8);
  const growth = settingList('BENCH_GROWTH', '10,40,160');
  const memorySizes = settingList('BENCH_MEMORY', '500,2000');
  const pdfRounds = setting('BENCH_PDF_ROUNDS', 20);
  const statementPromises = setting('BENCH_STATEMENT_PROMISES', 5);
  const parts = new Set(settingList('BENCH_PARTS', '1,2,3,4,5,6,7,8'));
  console.log(`→ startar Temporal, PostgreSQL (fsync på), API, worker och baslinjens worker…`);
  const stack = await startBenchStack({ temporalCli, postgresBin, profileDir: process.env.BENCH_PROFILE });
  const loadBefore = load();
  const report: string[] = [];
  const findings: Findings = {};
  try {
    if (parts.has(1) || parts.has(2)) {
      console.log('→ uppvärmning (5 löften var)');
      await productBatch(stack, 'warm', 5, concurrency);
      await baselineBatch(stack, 'warm', 5, concurrency);
    }
    if (parts.has(1)) {
      const measuredPairs: [Batch, Batch][] = [];
      for (let pair = 1; pair <= pairs; pair++) {
        console.log(`→ A/B-par ${pair} av ${pairs}: ${promises} löften, ${concurrency} samtidigt`);
        const product = await productBatch(stack, `ab${pair}`, promises, concurrency);
        const baseline = await baselineBatch(stack, `ab${pair}`, promises, concurrency);
        console.log(`  produkten ${fixed(throughput(product))}/s, ren Temporal ${fixed(throughput(baseline))}/s`);
        measuredPairs.push([product, baseline]);
      }
      report.push(lifecycleTables(measuredPairs, promises, concurrency));
      findings.lifecycleRatio = median(measuredPairs.map(([product, baseline]) => throughput(product) / throughput(baseline)));
    }
    if (parts.has(2)) {
      const growthBatches: Batch[] = [];
      for (const size of growth) {
        console.log(`→ tillväxt: ${size} löften`);
        growthBatches.push(await productBatch(stack, `g${size}`, size, concurrency));
      }
      report.push(growthTable(growthBatches, concurrency));
    }
    if (parts.has(3)) {
      console.log(
        '→ ett simulerat år: Ljungby 2021 (ett år, först på en kall worker, sedan igen) och Åstorp 2023–2025 (tre) på den tidshoppande servern',
      );
      const years = await simulatedYears(testServer, stack.databaseUrl);
      report.push(yearTable(years));
      findings.secondsPerYear = Math.max(...years.filter((y) => !y.cold).map((y) => y.wallMs / 1000 / y.years));
    }
    if (parts.has(4)) {
      console.log(`→ sidorna under last: ${CLIENTS} klienter, ${LOAD_SECONDS} s per sida`);
      const links = await linkPaths(stack);
      const pages: [string, string][] = [
        ['signeringssidan, GET /sign/<nyckel>', `${stack.baseUrl}${links.signing}`],
        ['rapportsidan, GET /report/<nyckel>', `${stack.baseUrl}${links.report}`],
        ['produktens stilmall, GET /assets/sida.css', `${stack.baseUrl}${STYLESHEET_PATH}`],
        ['produktens GET /health, anonym', `${stack.baseUrl}/health`],
        ['trivial sida: samma stilmall från naken Fastify, egen process', `${stack.bareUrl}${STYLESHEET_PATH}`],
      ];
      const loads: [string, Load][] = [];
      for (const [label, url] of pages) loads.push([label, await loadPage(url, CLIENTS, LOAD_SECONDS)]);
      report.push(pagesTable(loads));
      const [signingPage, , stylesheet, health] = loads.map(([, l]) => l);
      Object.assign(findings, {
        signingPageP95Ms: signingPage!.p95Ms,
        stylesheetPerSecond: stylesheet!.perSecond,
        healthPerSecond: health!.perSecond,
      });
    }
    if (parts.has(5)) {
      console.log(`→ workerns minne med ${memorySizes.join(' och ')} löften i sitt år (nya workers)`);
      findings.memory = await memoryInYear(stack, memorySizes, concurrency);
      report.push(memoryTable(findings.memory));
    }
    if (parts.has(6)) {
      console.log(`→ PDF-filerna, ${pdfRounds} gånger var`);
      report.push(pdfTable(await pdfFigures(pdfRounds), pdfRounds));
    }
    if (parts.has(7)) {
      console.log(`→ SQL-satser per löfte, ${statementPromises} löften ett i taget`);
      const counts = await statementsPerPromise(stack, statementPromises);
      report.push(statementsTable(counts, statementPromises));
      findings.statementsPerPromise = counts.total;
    }
    if (parts.has(8)) {
      console.log('→ två API-processer och två workers: uppvärmning (5 löften)');
      await stack.setScale(2);
      await productBatch(stack, 'tva-varm', 5, concurrency);
      const scalePairs: [Batch, Batch][] = [];
      for (let pair = 1; pair <= pairs; pair++) {
        console.log(`→ en mot två, par ${pair} av ${pairs}: ${promises} löften, ${concurrency} samtidigt`);
        await stack.setScale(1);
        const one = await productBatch(stack, `en${pair}`, promises, concurrency);
        await stack.setScale(2);
        const two = await productBatch(stack, `tva${pair}`, promises, concurrency);
        console.log(`  en av varje ${fixed(throughput(one))}/s, två av varje ${fixed(throughput(two))}/s`);
        scalePairs.push([one, two]);
      }
      await stack.setScale(1);
      report.push(scaleTable(scalePairs, promises, concurrency));
    }
  } catch (error) {
    // Jobs still in flight would trip over a closing connection: leave at once (the stack's exit hook cleans up).
    console.error(error);
    process.exit(1);
  }
  console.log(
    `\nnpm run bench, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${cpus().length} kärnor, last före ${loadBefore}, efter ${load()}\n`,
  );
  console.log([goalsTable(findings), ...report].join('\n\n'));
  await stack.stop();
}

function scaleTable(scalePairs: [Batch, Batch][], promises: number, concurrency: number): string {
  const ones = scalePairs.map(([one]) => one);
  const twos = scalePairs.map(([, two]) => two);
  const p = (batches: Batch[], n: number) =>
    fixed(
      percentile(
        batches.flatMap((b) => b.latenciesMs),
        n,
      ),
      0,
    );
  const cpu = (batches: Batch[]) => median(batches.map((b) => cpuPerPromise(b, PRODUCT_PROCESSES)));
  return [
    `8. Livscykeln på en API-process och en worker mot två av varje (samma PostgreSQL och Temporal), ${promises} löften, ${concurrency} samtidigt, ${scalePairs.length} par; på två kärnor är poängen att inget går förlorat eller trängs, inte dubbla takten\n`,
    table(
      ['mått', 'en av varje', 'två av varje', 'kvot två/en (median, spann)'],
      [
        [
          'genomströmning, löften/s',
          fixed(median(ones.map(throughput))),
          fixed(median(twos.map(throughput))),
          ratio(
            scalePairs.map(([one, two]) => [two, one]),
            throughput,
          ),
        ],
        ['latens skicka → ACTIVE p50 / p95, ms', `${p(ones, 50)} / ${p(ones, 95)}`, `${p(twos, 50)} / ${p(twos, 95)}`, ''],
        ['CPU per löfte, alla processer, ms', fixed(cpu(ones), 0), fixed(cpu(twos), 0), `${fixed(cpu(twos) / cpu(ones))}×`],
      ],
    ),
  ].join('\n');
}

function goalsTable(findings: Findings): string {
  return [
    'Målen (issue 27): var produkten står\n',
    table(
      ['mål', 'mätt', ''],
      goalRows(findings).map((g) => [g.goal, g.measured, g.verdict]),
    ),
  ].join('\n');
}

function statementsTable(counts: StatementCounts, promises: number): string {
  return [
    `7. SQL-satser per löfte (pg_stat_statements, BEGIN och COMMIT medräknade), median över ${promises} löften ett i taget\n`,
    table(
      ['skapa', 'skicka → e-post ute', 'per signatur (utom den sista)', 'sista signaturen → ACTIVE och tyst', 'totalt'],
      [[counts.create, counts.submitToMails, counts.perSignature, counts.lastSignatureToQuiet, counts.total].map((n) => fixed(n, 0))],
    ),
    '\nDe vanligaste satserna, per löfte\n',
    table(
      ['per löfte', 'sats'],
      counts.commonest.map((c) => [fixed(c.perPromise, 1), c.query.replace(/\s+/g, ' ').slice(0, 110)]),
    ),
  ].join('\n');
}

function pdfTable(figures: PdfFigure[], rounds: number): string {
  return [
    `6. PDF-filerna som taggad PDF/UA (PDFKit), i en process utan server, ${rounds} gånger var efter en uppvärmning\n`,
    table(
      ['löfte', 'fil', 'median, ms', 'p95, ms', 'storlek, kB', 'sidor'],
      figures.map((f) => [f.promise, f.kind, fixed(f.medianMs, 1), fixed(f.p95Ms, 1), fixed(f.bytes / 1024, 1), String(f.pages)]),
    ),
  ].join('\n');
}

function lifecycleTables(measuredPairs: [Batch, Batch][], promises: number, concurrency: number): string {
  const products = measuredPairs.map(([p]) => p);
  const baselines = measuredPairs.map(([, b]) => b);
  const all = (batches: Batch[]) => batches.flatMap((b) => b.latenciesMs);
  const cpu = (batches: Batch[], processes: string[]) => median(batches.map((b) => cpuPerPromise(b, processes)));
  const p = (batches: Batch[], n: number) => percentile(all(batches), n);
  return [
    `1. Livscykeln (skapa, skicka, ${SIGNATURES} signaturer över HTTP, ACTIVE), ${promises} löften, ${concurrency} samtidigt, ${measuredPairs.length} A/B-par; ren Temporal i samma form på samma server\n`,
    table(
      ['mått', 'produkten', 'ren Temporal', 'kvot (median, spann)'],
      [
        [
          'genomströmning, löften/s',
          fixed(median(products.map(throughput))),
          fixed(median(baselines.map(throughput))),
          ratio(measuredPairs, throughput),
        ],
        [
          'latens skicka → ACTIVE p50 / p95, ms',
          `${fixed(p(products, 50), 0)} / ${fixed(p(products, 95), 0)}`,
          `${fixed(p(baselines, 50), 0)} / ${fixed(p(baselines, 95), 0)}`,
          `${fixed(p(products, 50) / p(baselines, 50))}× / ${fixed(p(products, 95) / p(baselines, 95))}×`,
        ],
        [
          'CPU per löfte, alla processer, ms',
          fixed(cpu(products, PRODUCT_PROCESSES), 0),
          fixed(cpu(baselines, BASELINE_PROCESSES), 0),
          `${fixed(cpu(products, PRODUCT_PROCESSES) / cpu(baselines, BASELINE_PROCESSES))}×`,
        ],
      ],
    ),
    '\nCPU per löfte och process, ms (median över paren)\n',
    table(
      ['', ...PRODUCT_PROCESSES, 'baseline-worker'],
      [
        ['produkten', ...PRODUCT_PROCESSES.map((name) => fixed(cpu(products, [name]), 0)), '–'],
        ['ren Temporal', '–', '–', fixed(cpu(baselines, ['Temporal']), 0), '–', fixed(cpu(baselines, ['baseline-worker']), 0)],
      ],
    ),
  ].join('\n');
}

function growthTable(batches: Batch[], concurrency: number): string {
  return [
    `2. Hur kostnaden växer (produkten, ${concurrency} samtidigt)\n`,
    table(
      ['löften', 'löften/s', 'p50, ms', 'p95, ms', 'CPU per löfte, ms'],
      batches.map((b) => [
        String(b.promises),
        fixed(throughput(b)),
        fixed(percentile(b.latenciesMs, 50), 0),
        fixed(percentile(b.latenciesMs, 95), 0),
        fixed(cpuPerPromise(b, PRODUCT_PROCESSES), 0),
      ]),
    ),
  ].join('\n');
}

function yearTable(years: YearResult[]): string {
  return [
    '3. Ett löftes hela period på den tidshoppande servern: skicka, signera, årets påminnelser och uppföljningar, publicera, avsluta\n',
    table(
      ['löfte', 'år', 'väggtid, s', 'väggtid per år, s', 'historikhändelser per år', 'körningar (continue-as-new)'],
      years.map((y) => [
        y.cold ? `${y.name}, kall worker (första löftet)` : y.name,
        String(y.years),
        fixed(y.wallMs / 1000, 1),
        fixed(y.wallMs / 1000 / y.years, 1),
        fixed(y.events / y.years, 0),
        String(y.runs),
      ]),
    ),
  ].join('\n');
}

function pagesTable(loads: [string, Load][]): string {
  const trivial = loads.at(-1)![1];
  return [
    `4. Sidorna under last: ${CLIENTS} samtidiga klienter, ${LOAD_SECONDS} s var\n`,
    table(
      ['sida', 'p50, ms', 'p95, ms', 'svar/s', 'fel', 'p95 mot trivial sida'],
      loads.map(([label, l]) => [
        label,
        fixed(l.p50Ms, 1),
        fixed(l.p95Ms, 1),
        fixed(l.perSecond, 0),
        String(l.errors),
        `${fixed(l.p95Ms / trivial.p95Ms, 1)}×`,
      ]),
    ),
  ].join('\n');
}

function memoryTable(memory: MemoryPoint[]): string {
  const mb = (bytes: number) => fixed(bytes / 1024 / 1024, 0);
  const kb = (bytes: number) => fixed(bytes / 1024, 0);
  return [
    '5. Workerns minne med löften i sitt år (RSS; per löfte: tillväxten sedan mätningen började)\n',
    table(
      ['löften', 'produkten, MB', 'ren Temporal, MB', 'produkten per löfte, KB', 'ren Temporal per löfte, KB', 'kvot'],
      memory.map((m) => [
        String(m.promises),
        mb(m.productRssBytes),
        mb(m.baselineRssBytes),
        kb(m.productBytesPerPromise),
        kb(m.baselineBytesPerPromise),
        `${fixed(m.productBytesPerPromise / m.baselineBytesPerPromise, 1)}×`,
      ]),
    ),
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof ProvisionError ? `✗ ${error.message}` : error);
    process.exit(1);
  },
);
