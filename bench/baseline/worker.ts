// The baseline's worker, a process of its own like the product's: `tsx bench/baseline/worker.ts`
// with TEMPORAL_ADDRESS and BENCH_TASK_QUEUE.
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities';

async function main() {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.BENCH_TASK_QUEUE;
  if (!address || !taskQueue) throw new Error('TEMPORAL_ADDRESS och BENCH_TASK_QUEUE behövs.');
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    activities,
    workflowsPath: require.resolve('./workflows'),
  });
  console.log(`baseline: kö ${taskQueue}`);
  await worker.run();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
