import type { MemoryPoint } from './memory';

// The goals the bench holds the product to (issue 27), each printed with what was measured and
// whether it is met. A part that did not run (BENCH_PARTS) leaves its goals "not measured".

export interface Findings {
  /** The product's lifecycle throughput over the fair baseline's, the median over the A/B pairs. */
  lifecycleRatio?: number;
  signingPageP95Ms?: number;
  stylesheetPerSecond?: number;
  healthPerSecond?: number;
  statementsPerPromise?: number;
  memory?: MemoryPoint[];
  /** The slowest simulated year of a real promise, in seconds. */
  secondsPerYear?: number;
}

type Verdict = 'uppfyllt' | 'EJ uppfyllt' | 'ej mätt';

export interface GoalRow {
  goal: string;
  measured: string;
  verdict: Verdict;
}

const MEMORY_FLAT_TO = 10_000;

function row(goal: string, value: number | undefined, show: (v: number) => string, met: (v: number) => boolean): GoalRow {
  if (value === undefined) return { goal, measured: '–', verdict: 'ej mätt' };
  return { goal, measured: show(value), verdict: met(value) ? 'uppfyllt' : 'EJ uppfyllt' };
}

/** Per promise at the largest count no more than at the smallest: what the cache holds is bounded. */
function memoryRows(points: MemoryPoint[] | undefined): GoalRow[] {
  const first = points?.[0];
  const last = points?.at(-1);
  const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
  const ratio = first && first.productBytesPerPromise / first.baselineBytesPerPromise;
  const rows = [
    row(
      `workerns minne per löfte ≤ 2× baslinjens vid ${first?.promises ?? 500} löften`,
      ratio,
      (r) => `${r.toFixed(1)}× (${kb(first!.productBytesPerPromise)} mot ${kb(first!.baselineBytesPerPromise)})`,
      (r) => r <= 2,
    ),
  ];
  if (!first || !last || last === first)
    return [...rows, { goal: `minnet per löfte plant till ${MEMORY_FLAT_TO} löften`, measured: '–', verdict: 'ej mätt' }];
  const flat: GoalRow = {
    goal: `minnet per löfte plant till ${MEMORY_FLAT_TO} löften`,
    measured: `${kb(first.productBytesPerPromise)} vid ${first.promises}, ${kb(last.productBytesPerPromise)} vid ${last.promises}`,
    verdict: last.productBytesPerPromise <= first.productBytesPerPromise * 1.1 ? 'uppfyllt' : 'EJ uppfyllt',
  };
  if (flat.verdict === 'uppfyllt' && last.promises < MEMORY_FLAT_TO) {
    flat.measured += ` (mätt till ${last.promises}: BENCH_MEMORY=500,${MEMORY_FLAT_TO} för hela målet)`;
    flat.verdict = 'ej mätt';
  }
  return [...rows, flat];
}

export function goalRows(f: Findings): GoalRow[] {
  const perSecond = (v: number) => `${Math.round(v)} svar/s`;
  return [
    row(
      'livscykelns genomströmning ≥ 0,8 av den rättvisa baslinjens',
      f.lifecycleRatio,
      (v) => v.toFixed(2),
      (v) => v >= 0.8,
    ),
    row(
      'signeringssidan p95 ≤ 50 ms vid 50 klienter',
      f.signingPageP95Ms,
      (v) => `${v.toFixed(1)} ms`,
      (v) => v <= 50,
    ),
    row('produktens stilmall ≥ 10 000 svar/s', f.stylesheetPerSecond, perSecond, (v) => v >= 10_000),
    row('anonym /health ≥ 10 000 svar/s', f.healthPerSecond, perSecond, (v) => v >= 10_000),
    row(
      '≤ 100 SQL-satser per löfte, skapa till ACTIVE och tyst',
      f.statementsPerPromise,
      (v) => v.toFixed(0),
      (v) => v <= 100,
    ),
    ...memoryRows(f.memory),
    row(
      'ett simulerat år av ett verkligt löfte ≤ 3 s (varm worker)',
      f.secondsPerYear,
      (v) => `${v.toFixed(1)} s`,
      (v) => v <= 3,
    ),
  ];
}
