import { linkPath, type SigningDriver } from './signing-driver';
import type { FaultResult } from './report';
import type { FaultStack } from './stack';

// After a scenario: what the people involved would have seen, counted from the mailbox and the
// records. Every copy of an e-mail must carry the same link, and every link must still answer.

export async function measure(stack: FaultStack, promiseIds: string[], driver: SigningDriver, signatoriesPerPromise: number) {
  const { db, mailbox } = stack;
  const rows = await db.emailOutbox.findMany({ where: { promiseId: { in: promiseIds } } });
  const byMessageId = new Map(rows.map((row) => [row.messageId, row]));
  const delivered = mailbox.messages.filter((m) => byMessageId.has(m.messageId));
  const first = new Map<string, (typeof delivered)[number]>();
  let copiesWithAnotherLink = 0;
  for (const mail of delivered) {
    const earlier = first.get(mail.messageId);
    if (!earlier) first.set(mail.messageId, mail);
    else if (earlier.text !== mail.text) copiesWithAnotherLink += 1;
  }
  const groups = new Map<string, number>();
  for (const messageId of first.keys()) {
    const row = byMessageId.get(messageId)!;
    const group = `${row.promiseId}|${row.recipient.toLowerCase()}|${row.purpose}`;
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  const duplicates = [...groups.values()].reduce((sum, n) => sum + n - 1, 0) + copiesWithAnotherLink;

  const signatures = await db.signature.findMany({ where: { request: { round: { promiseId: { in: promiseIds } } }, voidedAt: null } });
  const recorded = new Set(signatures.map((s) => s.requestId));
  const active = await db.promiseRecord.findMany({ where: { id: { in: promiseIds }, status: 'ACTIVE' }, select: { id: true } });
  const signedIn = async (promiseId: string) =>
    db.signature.count({ where: { request: { round: { promiseId } }, voidedAt: null, decision: 'SIGNED' } });
  let lostSignatures = [...driver.signed].filter((id) => !recorded.has(id)).length;
  for (const { id } of active) lostSignatures += Math.max(0, signatoriesPerPromise - (await signedIn(id)));

  let deadLinks = 0;
  for (const mail of first.values()) {
    if (!/\/sign\//.test(mail.text)) continue;
    const page = await stack.anonymous.get(linkPath(mail));
    if (page.status === 404) deadLinks += 1;
  }
  const result: Omit<FaultResult, 'scenario' | 'kills'> = {
    promises: promiseIds.length,
    active: active.length,
    duplicates,
    redeliveries: delivered.length - first.size,
    lostSignatures,
    deadLinks,
  };
  return result;
}

/** Waits until every e-mail of these promises has gone out (confirmations cut off by a kill are retried). */
export async function waitUntilQuiet(stack: FaultStack, promiseIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await stack.db.emailOutbox.count({ where: { promiseId: { in: promiseIds }, status: 'PENDING' } })) > 0) {
    if (Date.now() > deadline) {
      // Which e-mails, and how far they got: enough to tell a slow retry from a lost one.
      const pending = await stack.db.emailOutbox.findMany({
        where: { promiseId: { in: promiseIds }, status: 'PENDING' },
        select: { purpose: true, attempts: true, lastAttemptAt: true, lastError: true, createdAt: true },
      });
      throw new Error(`E-post väntar fortfarande på att skickas: ${JSON.stringify(pending)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
