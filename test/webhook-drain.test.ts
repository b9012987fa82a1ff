import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { webhookDrainWorkflowId } from '../workflows/webhook-drain';
import { webhooksPendingSignal } from '../workflows/messages';
import { fakeActivities, gate, type FakeActivities } from './support/fake-activities';
import { startDevServer } from './support/temporal-servers';

// A promise's webhook deliveries to one endpoint (issue 25), with fake activities where an order
// must be forced: in order; a delivery that fails for good shows as failed and the next goes on;
// a signal while the last delivery runs is not lost.

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
const running: Promise<void>[] = [];
const workers: Worker[] = [];

beforeAll(async () => {
  env = await startDevServer();
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
});
afterAll(async () => {
  workers.forEach((w) => w.shutdown());
  await Promise.all(running);
  await env?.teardown();
});

/** A queue of delivery ids the fake store hands out in order, and a drain run over it. */
async function drain(activities: FakeActivities, input = { endpointId: randomUUID(), promiseId: randomUUID() }) {
  const taskQueue = `webhooks-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  workers.push(worker);
  running.push(worker.run());
  return env.client.workflow.start('webhookDrainWorkflow', { taskQueue, workflowId: webhookDrainWorkflowId(input), args: [input] });
}
const queueOf = (ids: string[]) => async () => ids.shift() ?? null;
const callsOf = (activities: FakeActivities, name: string) =>
  activities.calls.filter((c) => c.name === name).map((c) => (c.input as { deliveryId: string }).deliveryId);

test('deliveries go one at a time in order; one that fails for good is marked failed and the next goes on', async () => {
  const activities = fakeActivities({
    nextWebhookDelivery: queueOf(['msg_1', 'msg_2', 'msg_3']),
    deliverWebhook: async (input: { deliveryId: string }) => {
      if (input.deliveryId === 'msg_2') throw ApplicationFailure.nonRetryable('svarade 410', 'WEBHOOK_NOT_DELIVERED');
      return { status: 'DELIVERED' };
    },
  });
  await (await drain(activities)).result();
  expect(callsOf(activities, 'deliverWebhook')).toEqual(['msg_1', 'msg_2', 'msg_3']);
  expect(callsOf(activities, 'failWebhookDelivery')).toEqual(['msg_2']);
});

test('a delivery written as the drain finds none left is not lost: its signal makes the drain look again', async () => {
  const held = gate();
  const queue = ['msg_1'];
  let looked = 0;
  const activities = fakeActivities({
    nextWebhookDelivery: async () => {
      const next = queue.shift() ?? null;
      // Hold the first answer "none left", as if the new event's transaction committed just after it.
      if (next === null && looked++ === 0) await held.pass();
      return next;
    },
  });
  const handle = await drain(activities);
  await held.reached;
  queue.push('msg_2');
  await handle.signal(webhooksPendingSignal);
  held.open();
  await handle.result();
  expect(callsOf(activities, 'deliverWebhook')).toEqual(['msg_1', 'msg_2']);
});
