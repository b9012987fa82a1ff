import { decide } from '../../api/commands';
import { findSigningAccess } from '../../store/signing';
import type { PromiseContent } from '../../domain/content';
import type { Engine } from './engine';
import type { ApiTestbed } from './http';
import { eventually } from './eventually';
import { signingToken, subjectsStartingWith } from './promises';

/**
 * Signs every request still waiting in a submitted promise's open round through the links in the mailbox (other
 * promises' mail, and earlier rounds' after a revision, are left alone), then waits for ACTIVE and
 * its scheduled occurrences.
 */
export async function signEveryRequest(engine: Engine, promiseId: string) {
  const { db } = engine.database;
  const { currentVersionNumber } = await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId } });
  const signatories = await db.signatory.count({ where: { version: { promiseId, number: currentVersionNumber } } });
  const requests = await eventually(async () => {
    const mine = new Map<string, NonNullable<Awaited<ReturnType<typeof findSigningAccess>>>>();
    for (const mail of subjectsStartingWith(engine.mailbox.messages, 'Signera medborgarlöftet')) {
      const access = await findSigningAccess(db, signingToken(mail));
      const { round } = access?.request ?? {};
      if (round?.promiseId === promiseId && round.status === 'OPEN' && round.version.number === currentVersionNumber) {
        mine.set(access!.request.id, access!);
      }
    }
    expect(mine.size).toBe(signatories);
    return [...mine.values()];
  });
  // A request already answered (in a browser, say) is left as it is.
  for (const { request } of requests.filter((access) => !access.request.signature)) {
    await decide(engine, request.round.workflowId, {
      signingRequestId: request.id,
      decision: 'SIGN',
      documentSha256: request.round.version.sha256,
      actor: { kind: 'SIGNATORY', id: request.signatoryId },
    });
  }
  await eventually(async () => {
    expect((await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId } })).status).toBe('ACTIVE');
    expect(await db.activityOccurrence.count({ where: { promiseId } })).toBeGreaterThan(0);
    // The year is under way: each date still to be set has been asked for, and that e-mail is out.
    // (From the records: a query would wait on the time-skipping server.)
    const undated = await db.activityOccurrence.count({ where: { promiseId, dueDate: null } });
    expect(await db.emailOutbox.count({ where: { promiseId, purpose: 'DATE_TO_BE_SET' } })).toBe(undated);
    expect(await db.emailOutbox.count({ where: { promiseId, status: 'PENDING' } })).toBe(0);
  });
}

/** A promise created by the coordinator, submitted and signed by everyone: ACTIVE, with its year planned. */
export async function activePromise(testbed: ApiTestbed, content: PromiseContent): Promise<string> {
  const id: string = (await testbed.coordinator.post('/api/promises', { content })).json.id;
  await testbed.coordinator.post(`/api/promises/${id}/submit`, {});
  await signEveryRequest(testbed.engine, id);
  return id;
}
