import { TestWorkflowEnvironment } from '@temporalio/testing';
import { decide, publishFollowUp, submitForSigning, type EngineClient } from '../api/commands';
import { addDays } from '../domain/calendar';
import { promiseWorkflowId } from '../domain/identifiers';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { LocalMailbox } from '../platform/embedded/mailbox';
import { createSmtpMailer } from '../platform/mailer';
import { createDatabase, type Database } from '../store/database';
import { startTimeSkippingServer } from '../test/support/temporal-servers';
import { EncryptionCodec, newPayloadKey, parsePayloadKeys } from '../platform/payload-codec';
import { createDraftOf, fixture, inComingYear } from '../test/support/promises';
import { createWorker } from '../worker/create-worker';
import { newLinkSecret } from '../domain/crypto';
import { until } from './measures';

// A real promise through its whole period on the time-skipping server: submitted, signed, every
// reminder and follow-up of its years, the follow-ups published and the promise closed. What it
// costs in wall time, and how many history events a simulated year writes (over every run of the
// promise's workflow, continue-as-new included, and its signing round). The first promise meets a
// cold worker (its first workflows in the sandbox, its first query plans): it is run first and
// reported on its own row, and the goal is read from the promises after it.

export interface YearResult {
  name: string;
  /** The first promise on a fresh worker. */
  cold: boolean;
  years: number;
  wallMs: number;
  events: number;
  runs: number;
}

/** Every event of the workflow, over its runs: the first run, then each run it continued as. */
async function historyEvents(engine: EngineClient, workflowId: string): Promise<{ events: number; runs: number }> {
  const { raw } = await engine.client.workflow.getHandle(workflowId).describe();
  let runId: string | undefined = raw.workflowExecutionInfo?.firstRunId ?? undefined;
  let events = 0;
  let runs = 0;
  while (runId) {
    const history = await engine.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const all = history.events ?? [];
    events += all.length;
    runs += 1;
    runId = all.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return { events, runs };
}

async function simulate(
  env: TestWorkflowEnvironment,
  db: Database,
  taskQueue: string,
  name: 'ljungby-2021' | 'astorp-2023-2025',
  cold = false,
): Promise<YearResult> {
  // Commands carry a deadline in workflow time, which runs ahead of the wall clock here.
  const engine: EngineClient = { client: env.client, taskQueue, workflowClock: () => env.currentTimeMs() };
  const content = inComingYear(fixture(name), await env.currentTimeMs());
  const { promise, actor } = await createDraftOf(db, content, DEFAULT_SETTINGS);
  const started = performance.now();
  await submitForSigning(engine, promise.id, actor);
  // Everyone signs as their turn comes (a round may ask group by group).
  const round = await until(
    () => db.signingRound.findFirst({ where: { promiseId: promise.id }, include: { version: true } }).then((r) => r ?? undefined),
    'signeringsomgången',
  );
  for (;;) {
    const requests = await db.signingRequest.findMany({ where: { roundId: round.id, signature: null } });
    if (requests.length === 0) break;
    const pending = requests.filter((r) => r.status === 'PENDING');
    for (const request of pending) {
      await decide(engine, round.workflowId, {
        signingRequestId: request.id,
        decision: 'SIGN',
        documentSha256: round.version.sha256,
        actor: { kind: 'SIGNATORY', id: request.signatoryId },
      });
    }
    if (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const end = Date.parse(`${addDays(content.period.end, 3)}T12:00:00Z`);
  await env.sleep(end - (await env.currentTimeMs()));
  const followUps = await until(async () => {
    const all = await db.followUpReport.findMany({ where: { promiseId: promise.id }, orderBy: { periodIndex: 'asc' } });
    return all.some((f) => f.final) ? all : undefined;
  }, 'slutuppföljningen');
  for (const followUp of followUps) {
    await publishFollowUp(engine, promise.id, { index: followUp.periodIndex, narrative: 'Året i korthet.', actor });
  }
  await until(
    async () => ((await db.promiseRecord.findUniqueOrThrow({ where: { id: promise.id } })).status === 'CLOSED' ? true : undefined),
    'att löftet avslutas',
  );
  const wallMs = performance.now() - started;
  const promiseHistory = await historyEvents(engine, promiseWorkflowId(promise.id));
  const roundHistory = await historyEvents(engine, round.workflowId);
  const years = followUps.length;
  return { name, cold, years, wallMs, events: promiseHistory.events + roundHistory.events, runs: promiseHistory.runs };
}

/** Ljungby 2021 (one year) on a cold worker, then again, and Åstorp 2023–2025 (three), each from submit to closed. */
export async function simulatedYears(testServerPath: string, databaseUrl: string): Promise<YearResult[]> {
  const payloadCodec = new EncryptionCodec(parsePayloadKeys(newPayloadKey('bench')));
  const env = await startTimeSkippingServer(payloadCodec, testServerPath);
  const db = createDatabase({ url: databaseUrl, poolSize: 5 });
  const mailbox = new LocalMailbox();
  await mailbox.start();
  const mailer = createSmtpMailer({ url: mailbox.smtpUrl, from: 'Medborgarlöften <noreply@medborgarloften.lessebo.se>' });
  const taskQueue = 'bench-year';
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    payloadCodec,
    deps: { db, mailer, publicBaseUrl: 'https://medborgarloften.lessebo.se', linkSecret: newLinkSecret(), dailyLimitPerRecipient: 10_000 },
  });
  try {
    return await worker.runUntil(async () => [
      await simulate(env, db, taskQueue, 'ljungby-2021', true),
      await simulate(env, db, taskQueue, 'ljungby-2021'),
      await simulate(env, db, taskQueue, 'astorp-2023-2025'),
    ]);
  } finally {
    mailer.close();
    await mailbox.stop();
    await db.$disconnect();
    await env.teardown();
  }
}
