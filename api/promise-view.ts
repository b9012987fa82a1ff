import type { PromiseRecord } from '../prisma/generated/client';
import { STATUS_LABELS_SV } from '../domain/lifecycle';
import { attentionOf } from '../store/attention';
import type { Database } from '../store/database';
import { pinsOf } from '../store/pins';
import { periodOf, promiseWithLatestRound } from '../store/promises';

// A promise as the API answers it and the web app shows it: one reading of the records for both.

/** What every view of a promise says first. */
export const summaryOf = (promise: PromiseRecord, attention: unknown[]) => ({
  id: promise.id,
  title: promise.title,
  municipality: promise.municipality,
  status: promise.status,
  statusLabel: STATUS_LABELS_SV[promise.status],
  statusReason: promise.statusReason,
  needsAttention: attention.length > 0,
});

export async function promiseView(db: Database, id: string) {
  const promise = await promiseWithLatestRound(db, id);
  const version = promise.versions[0]!;
  const round = promise.signingRounds[0];
  const [attention, pins] = await Promise.all([attentionOf(db, [id]).then((all) => all.get(id) ?? []), pinsOf(db, id)]);
  return {
    ...summaryOf(promise, attention),
    attention,
    period: periodOf(promise),
    renewal: promise.renewalMode,
    predecessorId: promise.predecessorId,
    settings: promise.settings,
    currentVersion: { number: version.number, sha256: version.sha256, createdAt: version.createdAt },
    content: version.content,
    personalNumberPins: [...pins].map(([signatoryKey, lastFour]) => ({ signatoryKey, lastFour })),
    signingRound: round && {
      number: round.number,
      status: round.status,
      outcomeReason: round.outcomeReason,
      startedAt: round.startedAt,
      endedAt: round.endedAt,
      signatories: round.requests
        .map((r) => ({
          requestId: r.id,
          name: r.signatory.name,
          title: r.signatory.title,
          party: r.signatory.party.name,
          signingGroup: r.signatory.signingGroup,
          status: r.status,
          sentAt: r.sentAt,
          remindersSent: r.remindersSent,
          decidedAt: r.signature?.decidedAt ?? null,
          reason: r.signature?.reason ?? null,
        }))
        .sort((a, b) => a.signingGroup - b.signingGroup || a.name.localeCompare(b.name, 'sv')),
    },
  };
}
