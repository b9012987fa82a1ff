import { randomUUID } from 'node:crypto';
import { promiseWorkflowId } from '../../domain/identifiers';
import { client } from '../support/http';
import { inComingYear, lessebo } from '../support/promises';
import type { ServiceProcess } from '../support/service-process';
import { measure, waitUntilQuiet } from './support/measure';
import { reportFault } from './support/report';
import { signEverything } from './support/signing-driver';
import { startFaultStack, type FaultStack } from './support/stack';

// Beyond one machine's one process of each: two API processes and two workers on one PostgreSQL and
// one Temporal, the driver spreading its calls over both APIs as a load balancer would. Mid-run one
// API and one worker are SIGKILLed and come back a few seconds later; the other of each carries on.

const PROMISES = 12;
const SIGNATORIES = lessebo().signatories.length;
let stack: FaultStack;
let apis: { process: ServiceProcess; baseUrl: string }[];
let secondWorker: ServiceProcess;

beforeAll(async () => {
  stack = await startFaultStack('two-of-each');
  apis = [await stack.apiProcess(), await stack.apiProcess()];
  secondWorker = await stack.anotherWorker();
  await Promise.all([stack.worker.start(), secondWorker.start(), ...apis.map((a) => a.process.start())]);
});
afterAll(async () => {
  await Promise.all([secondWorker?.stop(), ...(apis ?? []).map((a) => a.process.stop())]);
  await stack?.stop();
});

/** Created and submitted through whichever API answers; a call cut off by a kill is tried again on the other. */
async function createAndSubmit(i: number): Promise<string> {
  const coordinators = apis.map((a) => client(a.baseUrl, stack.token));
  const content = inComingYear(lessebo());
  const through = async (call: (api: (typeof coordinators)[number]) => Promise<{ status: number; json: { id: string } }>) => {
    for (let attempt = 0; ; attempt++) {
      const answer = await call(coordinators[(i + attempt) % coordinators.length]!).catch(() => undefined);
      if (answer && answer.status < 500) return answer;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  // A draft cut off by a kill may be left behind (creating takes no key), but it is never sent; the
  // submit's key is the same on every attempt, so one the dying API had carried out is not done twice.
  const submitKey = randomUUID();
  const created = await through((api) => api.post('/api/promises', { content }));
  expect(created.status).toBe(201);
  const submitted = await through((api) =>
    api.post(`/api/promises/${created.json.id}/submit`, undefined, { 'idempotency-key': submitKey }),
  );
  expect(submitted.status).toBe(200);
  return created.json.id;
}

test('two APIs and two workers, one of each SIGKILLed mid-run: every promise ACTIVE, nothing lost, nothing sent twice', async () => {
  const [doomedApi] = apis;
  let killed = 0;
  const killer = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await Promise.all([doomedApi!.process.kill(), stack.worker.kill()]);
    killed = 2;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await Promise.all([doomedApi!.process.start(), stack.worker.start()]);
  })();
  const promiseIds: string[] = [];
  for (let i = 0; i < PROMISES; i += 4) promiseIds.push(...(await Promise.all([0, 1, 2, 3].map((k) => createAndSubmit(i + k)))));
  const driver = await signEverything(
    stack,
    promiseIds,
    6 * 60_000,
    apis.map((a) => client(a.baseUrl)),
  );
  await killer;
  await waitUntilQuiet(stack, promiseIds, 120_000);

  const result = await measure(stack, promiseIds, driver, SIGNATORIES);
  reportFault({ scenario: 'Två API:n och två workers, ett av varje SIGKILL mitt i', kills: killed, ...result });
  expect(killed).toBe(2);
  expect(result).toMatchObject({ promises: PROMISES, active: PROMISES, duplicates: 0, lostSignatures: 0, deadLinks: 0 });
  // A signature posted just as its API died may be recorded without the driver hearing so (the page
  // then shows the receipt): what counts is the records, each request signed exactly once.
  const signatures = await stack.db.signature.count({
    where: { request: { round: { promiseId: { in: promiseIds } } }, voidedAt: null, decision: 'SIGNED' },
  });
  expect(signatures).toBe(PROMISES * SIGNATORIES);
  // The driver signs one at a time: at most the post in flight at the kill went unanswered.
  expect(driver.signed.size).toBeGreaterThanOrEqual(PROMISES * SIGNATORIES - 1);
  // The worker that was never killed took the promises' workflow tasks too (an identity is pid@host).
  const identities = new Set<string>();
  for (const id of promiseIds) {
    const history = await stack.temporal.workflow.getHandle(promiseWorkflowId(id)).fetchHistory();
    for (const event of history.events ?? []) {
      const identity = event.workflowTaskCompletedEventAttributes?.identity;
      if (identity) identities.add(identity);
    }
  }
  expect([...identities].some((identity) => identity.startsWith(`${secondWorker.pid}@`))).toBe(true);
});
