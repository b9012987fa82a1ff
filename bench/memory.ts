import { baselineBatch, productBatch } from './lifecycle';
import type { BenchStack } from './stack';

// What a promise in its year costs the worker in memory: the worker's resident memory as more
// promises reach their year (the product's active, the baseline's waiting out a year-long timer),
// per promise added since the measurement began. Flat from the smaller count to the larger means
// the workflow cache is bounded.

export interface MemoryPoint {
  promises: number;
  productBytesPerPromise: number;
  baselineBytesPerPromise: number;
  productRssBytes: number;
  baselineRssBytes: number;
}

export async function memoryInYear(stack: BenchStack, sizes: number[], concurrency: number): Promise<MemoryPoint[]> {
  // Fresh workers, warmed with a few promises of each, so that what is counted is the promises.
  await stack.restartWorkers();
  await productBatch(stack, 'minne-varm', 3, concurrency);
  await baselineBatch(stack, 'minne-varm', 3, concurrency, true);
  const start = stack.usage();
  const points: MemoryPoint[] = [];
  let created = 0;
  for (const size of sizes) {
    console.log(`  ${size} löften i sitt år…`);
    await productBatch(stack, `minne${size}`, size - created, concurrency);
    await baselineBatch(stack, `minne${size}`, size - created, concurrency, true);
    created = size;
    const now = stack.usage();
    points.push({
      promises: size,
      productRssBytes: now.worker!.rssBytes,
      baselineRssBytes: now['baseline-worker']!.rssBytes,
      productBytesPerPromise: (now.worker!.rssBytes - start.worker!.rssBytes) / size,
      baselineBytesPerPromise: (now['baseline-worker']!.rssBytes - start['baseline-worker']!.rssBytes) / size,
    });
  }
  return points;
}
