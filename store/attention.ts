import { midnightUtc, type IsoDate } from '../domain/calendar';
import type { Database } from './database';

// What needs the coordinator on a promise, from the records: a step that failed for good (the
// workflow waits for a resume or a withdrawal), addresses the relay refused that are still in use,
// e-mail that has not gone out yet after failing, e-mail held back by the daily limit, and events
// that never reached an organisation's system by webhook (until sent again and delivered).

export type AttentionItem =
  | { kind: 'STEP_FAILED'; reason: string; since: Date; what: string }
  | { kind: 'UNDELIVERABLE'; address: string; relay: string | null; at: Date; what: string }
  | { kind: 'NOT_SENT_YET'; address: string; purpose: string; error: string | null; attempts: number; since: Date; what: string }
  | { kind: 'HELD_BACK'; address: string; purpose: string; at: Date; what: string }
  | { kind: 'DELIVERY_DELAYED'; address: string; status: string | null; at: Date; what: string }
  | { kind: 'REPLIED'; address: string; at: Date; what: string }
  | { kind: 'WEBHOOK_FAILED'; endpointId: string; receiver: string; failed: number; since: Date; what: string };

/** Attention items per promise, for the given promises, in four queries. */
export async function attentionOf(db: Database, promiseIds: string[]): Promise<Map<string, AttentionItem[]>> {
  const promises = await db.promiseRecord.findMany({
    where: { id: { in: promiseIds } },
    include: {
      coordinator: true,
      versions: { orderBy: { number: 'desc' }, take: 1, include: { signatories: true, commitments: { include: { contacts: true } } } },
    },
  });
  const outbox = await db.emailOutbox.findMany({
    where: {
      promiseId: { in: promiseIds },
      OR: [{ status: { in: ['UNDELIVERABLE', 'SUPPRESSED'] } }, { status: 'PENDING', lastError: { not: null } }],
    },
    orderBy: { createdAt: 'asc' },
  });
  // Warnings from the bounce mailbox: a delay not yet settled either way, and a person's answer.
  const notices = await db.bounceNotice.findMany({
    where: {
      outbox: { promiseId: { in: promiseIds } },
      OR: [{ kind: 'DELAYED', outbox: { status: 'SENT' } }, { kind: 'REPLY' }],
    },
    include: { outbox: { select: { promiseId: true, recipient: true, bounceNotices: { select: { kind: true } } } } },
    orderBy: { receivedAt: 'asc' },
  });
  const failedWebhooks = await db.webhookDelivery.groupBy({
    by: ['promiseId', 'endpointId'],
    where: { promiseId: { in: promiseIds }, status: 'FAILED' },
    _count: { _all: true },
    _min: { createdAt: true },
  });
  const receivers = await db.webhookEndpoint.findMany({
    where: { id: { in: [...new Set(failedWebhooks.map((row) => row.endpointId))] } },
    select: { id: true, description: true },
  });
  const result = new Map<string, AttentionItem[]>();
  for (const promise of promises) {
    const version = promise.versions[0];
    const inUse = new Set(
      [
        promise.coordinator.email,
        ...(version?.signatories.map((s) => s.email) ?? []),
        ...(version?.commitments.flatMap((c) => c.contacts.map((contact) => contact.email)) ?? []),
      ].map((address) => address.toLowerCase()),
    );
    const items: AttentionItem[] = [];
    if (promise.attentionReason && promise.attentionSince) {
      items.push({
        kind: 'STEP_FAILED',
        reason: promise.attentionReason,
        since: promise.attentionSince,
        what: `Ett steg misslyckades och löftet väntar. Åtgärda orsaken och återuppta (POST /api/promises/${promise.id}/resume), eller återkalla löftet.`,
      });
    }
    const mine = outbox.filter((row) => row.promiseId === promise.id);
    const bounced = new Map(
      mine
        .filter((row) => row.status === 'UNDELIVERABLE' && inUse.has(row.recipient.toLowerCase()))
        .map((row) => [row.recipient.toLowerCase(), row]),
    );
    for (const row of bounced.values()) {
      items.push({
        kind: 'UNDELIVERABLE',
        address: row.recipient,
        relay: row.lastError,
        at: row.createdAt,
        what: `Adressen avvisades av e-postservern. Rätta den (POST /api/promises/${promise.id}/address-corrections) så skickas det som inte kom fram igen.`,
      });
    }
    for (const row of mine.filter((r) => r.status === 'PENDING')) {
      items.push({
        kind: 'NOT_SENT_YET',
        address: row.recipient,
        purpose: row.purpose,
        error: row.lastError,
        attempts: row.attempts,
        since: row.createdAt,
        what: 'E-posten har inte gått iväg än; den försöks igen en tid. Kontrollera e-postservern om felet består.',
      });
    }
    for (const row of mine.filter((r) => r.status === 'SUPPRESSED')) {
      items.push({
        kind: 'HELD_BACK',
        address: row.recipient,
        purpose: row.purpose,
        at: row.createdAt,
        what: 'Hölls tillbaka: mottagaren hade redan fått dagens högsta antal e-postmeddelanden.',
      });
    }
    for (const notice of notices.filter((n) => n.outbox.promiseId === promise.id)) {
      if (notice.kind === 'DELAYED' && !notice.outbox.bounceNotices.some((n) => n.kind === 'PERMANENT'))
        items.push({
          kind: 'DELIVERY_DELAYED',
          address: notice.outbox.recipient,
          status: notice.status,
          at: notice.receivedAt,
          what: 'Mottagarens e-postserver har inte tagit emot e-posten än; reläet försöker igen. Ingenting behöver göras om den kommer fram.',
        });
      if (notice.kind === 'REPLY')
        items.push({
          kind: 'REPLIED',
          address: notice.outbox.recipient,
          at: notice.receivedAt,
          what: 'Någon svarade på e-posten till studsadressen. Svaret finns i studsbrevlådan (tjänsten sparar det inte).',
        });
    }
    for (const row of failedWebhooks.filter((r) => r.promiseId === promise.id)) {
      items.push({
        kind: 'WEBHOOK_FAILED',
        endpointId: row.endpointId,
        receiver: receivers.find((r) => r.id === row.endpointId)?.description ?? '',
        failed: row._count._all,
        since: row._min.createdAt!,
        what: `Händelser nådde inte organisationens system. Se mottagaren (/app/webhooks/${row.endpointId}) och skicka dem igen när den svarar.`,
      });
    }
    result.set(promise.id, items);
  }
  return result;
}

/** How many promises wait for a resume or a withdrawal after a step failed for good. */
export const countNeedingAttention = (db: Database) => db.promiseRecord.count({ where: { attentionReason: { not: null } } });

/** Occurrences of promises in their year whose date has passed with nothing reported, as of `today`. */
export const countOverdueOccurrences = (db: Database, today: IsoDate) =>
  db.activityOccurrence.count({
    where: {
      status: { in: ['PLANNED', 'POSTPONED'] },
      dueDate: { lt: midnightUtc(today) },
      promise: { status: { in: ['ACTIVE', 'FOLLOW_UP'] } },
    },
  });
