// A page under load: `clients` connections each asking again as soon as they have their answer,
// for `seconds`; every answer's time is kept, so the percentiles are exact (autocannon reports
// p97.5 but not the p95 the goals are written in).

export interface Load {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
}

export async function loadPage(url: string, clients: number, seconds: number): Promise<Load> {
  const times: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status !== 200) errors += 1;
      } catch {
        errors += 1;
      }
      times.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = times.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { requests: sorted.length, perSecond: sorted.length / elapsed, p50Ms: at(0.5), p95Ms: at(0.95), errors };
}
