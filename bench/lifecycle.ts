import { WithStartWorkflowOperation } from '@temporalio/client';
import type { ReceivedMail } from '../platform/embedded/mailbox';
import { lessebo, signingToken, startingOn, today } from '../test/support/promises';
import { decideUpdate, phaseQuery, SIGNATURES, submitUpdate, type baselinePromise } from './baseline/workflows';
import { until } from './measures';
import { cpuBetween } from './processes';
import { BASELINE_QUEUE, type BenchStack } from './stack';

// One batch of promises from submit to ACTIVE, as people would drive them, and the same shape on
// raw Temporal: each job's latency, the batch's wall time and the CPU each process spent on it.

export interface Batch {
  promises: number;
  wallMs: number;
  latenciesMs: number[];
  cpuMs: Record<string, number>;
}

/** Runs `count` jobs, `concurrency` at a time; each job gives its latency. */
async function inParallel(count: number, concurrency: number, job: (i: number) => Promise<number>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) latencies.push(await job(next++));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return latencies;
}

async function measured(stack: BenchStack, count: number, concurrency: number, job: (i: number) => Promise<number>): Promise<Batch> {
  const before = stack.usage();
  const started = performance.now();
  const latenciesMs = await inParallel(count, concurrency, job);
  const wallMs = performance.now() - started;
  return { promises: count, wallMs, latenciesMs, cpuMs: cpuBetween(before, stack.usage()) };
}

/** Lessebo's promise with three signatories who sign at once, each with an address of this run's own. */
export function benchContent(tag: string) {
  const content = startingOn(lessebo(), today());
  content.signatories = content.signatories.slice(0, SIGNATURES).map((s, k) => ({
    ...s,
    signingGroup: 1,
    email: `bench-${tag}-${k}@lessebo.example`,
  }));
  return content;
}

/** The signing e-mails by recipient, read once each however many jobs wait. */
export class SigningMail {
  private read = 0;
  private readonly byRecipient = new Map<string, ReceivedMail>();
  constructor(private readonly stack: BenchStack) {}

  private linkTo(address: string): string | undefined {
    const { messages } = this.stack.mailbox;
    for (; this.read < messages.length; this.read++) {
      const mail = messages[this.read]!;
      if (mail.subject.startsWith('Signera medborgarlöftet')) this.byRecipient.set(mail.to[0]!, mail);
    }
    const mail = this.byRecipient.get(address);
    return mail && `/sign/${signingToken(mail)}`;
  }

  async links(addresses: string[]): Promise<string[]> {
    await this.stack.mailbox.waitFor(() => addresses.every((a) => this.linkTo(a) !== undefined), 60_000);
    return addresses.map((a) => this.linkTo(a)!);
  }
}

export const untilActive = (stack: BenchStack, id: string): Promise<true> =>
  until(
    async () =>
      (await stack.db.promiseRecord.findUniqueOrThrow({ where: { id }, select: { status: true } })).status === 'ACTIVE' || undefined,
    `att löftet ${id} blir aktivt`,
    { everyMs: 25, timeoutMs: 60_000 },
  );

/** The product: created, submitted and signed by three people over HTTP; the latency runs from submit to ACTIVE. */
export function productBatch(stack: BenchStack, run: string, count: number, concurrency: number): Promise<Batch> {
  const mail = new SigningMail(stack);
  return measured(stack, count, concurrency, async (i) => {
    const { coordinator, anonymous } = stack.apis[i % stack.apis.length]!;
    const content = benchContent(`${run}-${i}`);
    const created = await coordinator.post('/api/promises', { content });
    if (created.status !== 201) throw new Error(`Utkastet skapades inte: ${created.status} ${created.text}`);
    const { id, currentVersion } = created.json as { id: string; currentVersion: { sha256: string } };
    const started = performance.now();
    const submitted = await coordinator.post(`/api/promises/${id}/submit`, {});
    if (submitted.status !== 200) throw new Error(`Löftet skickades inte: ${submitted.status} ${submitted.text}`);
    for (const link of await mail.links(content.signatories.map((s) => s.email))) {
      const signed = await anonymous.form(link, { decision: 'SIGN', documentSha256: currentVersion.sha256 });
      if (signed.status !== 200) throw new Error(`Signaturen togs inte emot: ${signed.status}`);
    }
    await untilActive(stack, id);
    return performance.now() - started;
  });
}

/**
 * Raw Temporal in the same shape: update-with-start, three updates on the child, the parent's end;
 * with `year`, the parent then stays for its year, and the job ends when it has begun it.
 */
export function baselineBatch(stack: BenchStack, run: string, count: number, concurrency: number, year = false): Promise<Batch> {
  const { workflow } = stack.temporal;
  return measured(stack, count, concurrency, async (i) => {
    const workflowId = `baseline-${run}-${i}`;
    const started = performance.now();
    const roundId = await workflow.executeUpdateWithStart(submitUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation<typeof baselinePromise>('baselinePromise', {
        workflowId,
        taskQueue: BASELINE_QUEUE,
        workflowIdConflictPolicy: 'FAIL',
        args: [{ year }],
      }),
    });
    // The round has started when the update answers, as the product's signing link works once it is e-mailed.
    for (let k = 0; k < SIGNATURES; k++) await workflow.getHandle(roundId).executeUpdate(decideUpdate);
    const promise = workflow.getHandle(workflowId);
    if (!year) await promise.result();
    else while ((await promise.query(phaseQuery)) !== 'YEAR') await new Promise((resolve) => setTimeout(resolve, 50));
    return performance.now() - started;
  });
}
