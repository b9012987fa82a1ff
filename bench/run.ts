// `npm run bench`: the lifecycle measured against raw Temporal on this machine, how its cost
// grows, and the pages behind the e-mailed links under load against a trivial page. Provisions like `npm test` (the Temporal CLI, PostgreSQL's programs), starts everything as
// in production (bench/stack.ts), and prints tables, ratios first, with the machine's load.
// Sizes: BENCH_PROMISES (40), BENCH_PAIRS (3), BENCH_CONCURRENCY (8), BENCH_GROWTH ("10,40,160"),
// BENCH_MEMORY ("500,2000").
import { cpus, loadavg } from 'node:os';
import { ensureTemporalCli, ensureTimeSkippingTestServer, findPostgresBinaries, ProvisionError, step } from '../scripts/lib/provision';
import { loadPage, type Load } from './http-load';
import { baselineBatch, productBatch, type Batch } from './lifecycle';
import { percentile } from './measures';
import { linkPaths } from './pages';
import { startBenchStack } from './stack';
import { memoryInYear } from './memory';
import { simulatedYears } from './year';

const PRODUCT_PROCESSES = ['API', 'worker', 'Temporal', 'PostgreSQL'];
const CLIENTS = 50;
const LOAD_SECONDS = 10;
const BASELINE_PROCESSES = ['baseline-worker', 'Temporal'];

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new ProvisionError(`${name} ska vara ett heltal större än 0.`);
  return value;
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
  const growth = (process.env.BENCH_GROWTH ?? '10,40,160').split(',').map(Number);
  const memorySizes = (process.env.BENCH_MEMORY ?? '500,2000').split(',').map(Number);
  console.log(`→ startar Temporal, PostgreSQL (fsync på), API, worker och baslinjens worker…`);
  const stack = await startBenchStack({ temporalCli, postgresBin });
  const loadBefore = load();
  try {
    console.log('→ uppvärmning (5 löften var)');
    await productBatch(stack, 'warm', 5, concurrency);
    await baselineBatch(stack, 'warm', 5, concurrency);

    const measuredPairs: [Batch, Batch][] = [];
    for (let pair = 1; pair <= pairs; pair++) {
      console.log(`→ A/B-par ${pair} av ${pairs}: ${promises} löften, ${concurrency} samtidigt`);
      const product = await productBatch(stack, `ab${pair}`, promises, concurrency);
      const baseline = await baselineBatch(stack, `ab${pair}`, promises, concurrency);
      console.log(`  produkten ${fixed(throughput(product))}/s, ren Temporal ${fixed(throughput(baseline))}/s`);
      measuredPairs.push([product, baseline]);
    }
    const growthBatches: Batch[] = [];
    for (const size of growth) {
      console.log(`→ tillväxt: ${size} löften`);
      growthBatches.push(await productBatch(stack, `g${size}`, size, concurrency));
    }

    console.log(`→ sidorna under last: ${CLIENTS} klienter, ${LOAD_SECONDS} s per sida`);
    const links = await linkPaths(stack);
    const pages: [string, string][] = [
      ['signeringssidan, GET /sign/<nyckel>', links.signing],
      ['rapportsidan, GET /report/<nyckel>', links.report],
      ['trivial sida (stilmallen, samma server)', '/assets/sida.css'],
    ];
    const loads: [string, Load][] = [];
    for (const [label, path] of pages) loads.push([label, await loadPage(`${stack.baseUrl}${path}`, CLIENTS, LOAD_SECONDS)]);

    console.log('→ ett simulerat år: Ljungby 2021 (ett år) och Åstorp 2023–2025 (tre) på den tidshoppande servern');
    const years = await simulatedYears(testServer, stack.databaseUrl);

    console.log(`→ workerns minne med ${memorySizes.join(' och ')} löften i sitt år (nya workers)`);
    const memory = await memoryInYear(stack, memorySizes, concurrency);

    const products = measuredPairs.map(([p]) => p);
    const baselines = measuredPairs.map(([, b]) => b);
    const all = (batches: Batch[]) => batches.flatMap((b) => b.latenciesMs);
    console.log(
      `\nnpm run bench, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${cpus().length} kärnor, last före ${loadBefore}, efter ${load()}\n`,
    );
    console.log(
      `1. Livscykeln (skapa, skicka, ${3} signaturer över HTTP, ACTIVE), ${promises} löften, ${concurrency} samtidigt, ${pairs} A/B-par; ren Temporal i samma form på samma server\n`,
    );
    console.log(
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
            `${fixed(percentile(all(products), 50), 0)} / ${fixed(percentile(all(products), 95), 0)}`,
            `${fixed(percentile(all(baselines), 50), 0)} / ${fixed(percentile(all(baselines), 95), 0)}`,
            `${fixed(percentile(all(products), 50) / percentile(all(baselines), 50))}× / ${fixed(percentile(all(products), 95) / percentile(all(baselines), 95))}×`,
          ],
          [
            'CPU per löfte, alla processer, ms',
            fixed(median(products.map((b) => cpuPerPromise(b, PRODUCT_PROCESSES))), 0),
            fixed(median(baselines.map((b) => cpuPerPromise(b, BASELINE_PROCESSES))), 0),
            `${fixed(
              median(products.map((b) => cpuPerPromise(b, PRODUCT_PROCESSES))) /
                median(baselines.map((b) => cpuPerPromise(b, BASELINE_PROCESSES))),
            )}×`,
          ],
        ],
      ),
    );
    console.log('\nCPU per löfte och process, ms (median över paren)\n');
    console.log(
      table(
        ['', ...PRODUCT_PROCESSES, 'baseline-worker'],
        [
          ['produkten', ...PRODUCT_PROCESSES.map((name) => fixed(median(products.map((b) => (b.cpuMs[name] ?? 0) / b.promises)), 0)), '–'],
          [
            'ren Temporal',
            '–',
            '–',
            fixed(median(baselines.map((b) => (b.cpuMs.Temporal ?? 0) / b.promises)), 0),
            '–',
            fixed(median(baselines.map((b) => (b.cpuMs['baseline-worker'] ?? 0) / b.promises)), 0),
          ],
        ],
      ),
    );
    console.log(`\n2. Hur kostnaden växer (produkten, ${concurrency} samtidigt)\n`);
    console.log(
      table(
        ['löften', 'löften/s', 'p50, ms', 'p95, ms', 'CPU per löfte, ms'],
        growthBatches.map((b) => [
          String(b.promises),
          fixed(throughput(b)),
          fixed(percentile(b.latenciesMs, 50), 0),
          fixed(percentile(b.latenciesMs, 95), 0),
          fixed(cpuPerPromise(b, PRODUCT_PROCESSES), 0),
        ]),
      ),
    );
    console.log(
      '\n3. Ett löftes hela period på den tidshoppande servern: skicka, signera, årets påminnelser och uppföljningar, publicera, avsluta\n',
    );
    console.log(
      table(
        ['löfte', 'år', 'väggtid, s', 'väggtid per år, s', 'historikhändelser per år', 'körningar (continue-as-new)'],
        years.map((y) => [
          y.name,
          String(y.years),
          fixed(y.wallMs / 1000, 1),
          fixed(y.wallMs / 1000 / y.years, 1),
          fixed(y.events / y.years, 0),
          String(y.runs),
        ]),
      ),
    );
    const trivial = loads.at(-1)![1];
    console.log(`\n4. Sidorna under last: ${CLIENTS} samtidiga klienter, ${LOAD_SECONDS} s var\n`);
    console.log(
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
    );
    const mb = (bytes: number) => fixed(bytes / 1024 / 1024, 0);
    const kb = (bytes: number) => fixed(bytes / 1024, 0);
    console.log('\n5. Workerns minne med löften i sitt år (RSS; per löfte: tillväxten sedan mätningen började)\n');
    console.log(
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
    );
  } catch (error) {
    // Jobs still in flight would trip over a closing connection: leave at once (the stack's exit hook cleans up).
    console.error(error);
    process.exit(1);
  }
  await stack.stop();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof ProvisionError ? `✗ ${error.message}` : error);
    process.exit(1);
  },
);
