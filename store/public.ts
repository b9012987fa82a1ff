import type { Prisma } from '../prisma/generated/client';
import type { Database } from './database';

// What citizens may see: promises that were signed (in force, in follow-up, closed, or withdrawn
// after signing), the text as signed, who signed it, what was done and the published follow-ups.
// Drafts, texts that were never signed, and every e-mail address stay out: the queries below
// select what a public page shows and nothing else.

/** A promise is public once a signing round completed for it. */
const SIGNED: Prisma.PromiseRecordWhereInput = { signingRounds: { some: { status: 'COMPLETED' } } };
/** The round that made the text public: the latest completed one. */
export const LATEST_SIGNED_ROUND = { where: { status: 'COMPLETED' }, orderBy: { number: 'desc' }, take: 1 } as const;

/** Signed promises, optionally of one municipality, the latest period first. */
export const publicPromises = (db: Database, municipality?: string) =>
  db.promiseRecord.findMany({
    where: { ...SIGNED, ...(municipality ? { municipality: { equals: municipality, mode: 'insensitive' } } : {}) },
    select: { id: true, title: true, municipality: true, status: true, periodStart: true, periodEnd: true },
    orderBy: [{ municipality: 'asc' }, { periodStart: 'desc' }],
  });

/** A signed promise as the public reads it, or null: the signed version, its signatures, the year, the published follow-ups. */
export async function publicPromise(db: Database, id: string) {
  const promise = await db.promiseRecord.findFirst({
    where: { id, ...SIGNED },
    select: {
      id: true,
      title: true,
      municipality: true,
      status: true,
      periodStart: true,
      periodEnd: true,
      predecessorId: true,
      signingRounds: {
        ...LATEST_SIGNED_ROUND,
        select: {
          endedAt: true,
          version: { select: { number: true, sha256: true, content: true, canonicalText: true } },
          requests: {
            where: { signature: { decision: 'SIGNED', voidedAt: null } },
            select: {
              signatory: { select: { name: true, title: true, signingGroup: true, party: { select: { name: true } } } },
              signature: { select: { decidedAt: true, documentSha256: true, method: true } },
            },
          },
        },
      },
      occurrences: {
        orderBy: [{ dueDate: 'asc' }, { sequence: 'asc' }],
        select: {
          id: true,
          status: true,
          dueDate: true,
          commitment: { select: { key: true } },
          reports: {
            orderBy: { createdAt: 'asc' },
            select: {
              id: true,
              kind: true,
              performedOn: true,
              description: true,
              reason: true,
              newDueDate: true,
              correctsId: true,
              createdAt: true,
            },
          },
        },
      },
      followUps: {
        where: { status: 'PUBLISHED' },
        orderBy: { periodIndex: 'asc' },
        select: {
          periodIndex: true,
          periodStart: true,
          periodEnd: true,
          final: true,
          narrative: true,
          safetySurvey: true,
          crimeStatistics: true,
          publishedAt: true,
        },
      },
    },
  });
  if (!promise) return null;
  const [predecessor, renewal] = await Promise.all([
    promise.predecessorId
      ? db.promiseRecord.findFirst({ where: { id: promise.predecessorId, ...SIGNED }, select: { id: true, title: true } })
      : null,
    db.promiseRecord.findFirst({ where: { predecessorId: promise.id, ...SIGNED }, select: { id: true, title: true } }),
  ]);
  return { ...promise, round: promise.signingRounds[0]!, predecessor, renewal };
}

export type PublicPromise = NonNullable<Awaited<ReturnType<typeof publicPromise>>>;

/** The signed promises whose signed text has this fingerprint (one, unless a text was signed twice). */
export const signedWithFingerprint = (db: Database, sha256: string) =>
  db.signingRound.findMany({
    where: { status: 'COMPLETED', version: { sha256 } },
    orderBy: { endedAt: 'desc' },
    select: {
      endedAt: true,
      promise: { select: { id: true, title: true, municipality: true } },
      requests: {
        where: { signature: { decision: 'SIGNED', voidedAt: null } },
        select: {
          signatory: { select: { name: true, title: true, party: { select: { name: true } } } },
          signature: { select: { method: true, decidedAt: true } },
        },
      },
    },
  });

/**
 * A signed promise's dated activities as its calendars show them: each with its commitment, the
 * commitment's contacts (only for a contact's own calendar; never published), how often it changed
 * (its reports) and when last; null when the promise is not public.
 */
export async function calendarActivities(db: Database, id: string) {
  const promise = await db.promiseRecord.findFirst({
    where: { id, ...SIGNED },
    select: {
      id: true,
      title: true,
      municipality: true,
      status: true,
      signingRounds: { ...LATEST_SIGNED_ROUND, select: { endedAt: true } },
      occurrences: {
        where: { dueDate: { not: null } },
        orderBy: [{ dueDate: 'asc' }, { sequence: 'asc' }],
        select: {
          id: true,
          status: true,
          dueDate: true,
          commitment: { select: { text: true, contacts: { select: { email: true } } } },
          reports: { orderBy: { createdAt: 'desc' }, select: { createdAt: true } },
        },
      },
    },
  });
  if (!promise) return null;
  const { signingRounds, ...rest } = promise;
  return { ...rest, signedAt: signingRounds[0]!.endedAt! };
}
