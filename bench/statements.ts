import { benchContent, SigningMail, untilActive } from './lifecycle';
import { percentile } from './measures';
import type { BenchStack } from './stack';

// How many SQL statements one promise costs the product, phase by phase, counted by PostgreSQL
// itself (pg_stat_statements: every statement of the API and the worker, BEGIN and COMMIT
// included; the driver's own reads run as a role of their own and are not counted). One promise
// at a time, and each phase waits until the database has been quiet for a second, so what a step
// sets off afterwards (the workflow's activities) is counted with the step.

const QUIET_MS = 1_000;

export interface StatementCounts {
  create: number;
  submitToMails: number;
  /** Each signature but the last: the decision and what it sets off. */
  perSignature: number;
  /** The last signature to ACTIVE, the year planned and nothing more happening. */
  lastSignatureToQuiet: number;
  total: number;
  /** The statements run most often, per promise: where a cut would count. */
  commonest: { perPromise: number; query: string }[];
}

/** The count once no statement has run for QUIET_MS. */
async function whenQuiet(stack: BenchStack): Promise<number> {
  let last = await stack.statements();
  let since = performance.now();
  const deadline = since + 60_000;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await stack.statements();
    if (now !== last) [last, since] = [now, performance.now()];
    else if (performance.now() - since >= QUIET_MS) return now;
    if (performance.now() > deadline) throw new Error('Databasen blev aldrig tyst.');
  }
}

async function onePromise(stack: BenchStack, tag: string): Promise<Omit<StatementCounts, 'commonest'>> {
  const mail = new SigningMail(stack);
  const content = benchContent(tag);
  const start = await whenQuiet(stack);
  const created = await stack.coordinator.post('/api/promises', { content });
  if (created.status !== 201) throw new Error(`Utkastet skapades inte: ${created.status} ${created.text}`);
  const { id, currentVersion } = created.json as { id: string; currentVersion: { sha256: string } };
  const afterCreate = await whenQuiet(stack);
  await stack.coordinator.post(`/api/promises/${id}/submit`, {});
  const links = await mail.links(content.signatories.map((s) => s.email));
  const afterMails = await whenQuiet(stack);
  let beforeLast = afterMails;
  for (const [k, link] of links.entries()) {
    if (k === links.length - 1) beforeLast = await whenQuiet(stack);
    const signed = await stack.anonymous.form(link, { decision: 'SIGN', documentSha256: currentVersion.sha256 });
    if (signed.status !== 200) throw new Error(`Signaturen togs inte emot: ${signed.status}`);
  }
  await untilActive(stack, id);
  const end = await whenQuiet(stack);
  return {
    create: afterCreate - start,
    submitToMails: afterMails - afterCreate,
    perSignature: (beforeLast - afterMails) / (links.length - 1),
    lastSignatureToQuiet: end - beforeLast,
    total: end - start,
  };
}

/** The median of each phase over `count` promises, one after the other. */
export async function statementsPerPromise(stack: BenchStack, count: number): Promise<StatementCounts> {
  await whenQuiet(stack);
  await stack.resetStatements();
  const runs: Omit<StatementCounts, 'commonest'>[] = [];
  for (let i = 0; i < count; i++) runs.push(await onePromise(stack, `sql-${i}`));
  type Phase = Exclude<keyof StatementCounts, 'commonest'>;
  const median = (phase: Phase) =>
    percentile(
      runs.map((r) => r[phase]),
      50,
    );
  const commonest = (await stack.commonestStatements(10)).map(({ calls, query }) => ({ perPromise: calls / count, query }));
  return {
    create: median('create'),
    submitToMails: median('submitToMails'),
    perSignature: median('perSignature'),
    lastSignatureToQuiet: median('lastSignatureToQuiet'),
    total: median('total'),
    commonest,
  };
}
