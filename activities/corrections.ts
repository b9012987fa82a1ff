import type { OccurrenceReminderKind } from '../domain/schedule';
import type { ActivityDeps } from './index';
import type { createSigningActivities } from './signing';
import type { createYearActivities } from './year';

// After the coordinator corrected an address: what should have reached it goes out again, to the
// new address. A signing request still waiting for an answer is sent again (with a new link); for
// an open activity, the latest reminder that went to the old address. Each resend is keyed on the
// address it goes to, so the same correction twice sends once.

const REMINDER_KEY = /^occurrence:[^:]+:\d{4}-\d{2}-\d{2}:(BEFORE|DUE|OVERDUE):(\d+)$/;

export function createCorrectionActivities(
  { db }: ActivityDeps,
  sending: { signing: ReturnType<typeof createSigningActivities>; year: ReturnType<typeof createYearActivities> },
) {
  return {
    async resendAfterCorrection(input: { promiseId: string; previous: string; email: string; scheduledFor: number }) {
      const requests = await db.signingRequest.findMany({
        where: {
          round: { promiseId: input.promiseId, status: 'OPEN' },
          status: { in: ['PENDING', 'UNDELIVERABLE'] },
          signatory: { email: { equals: input.email, mode: 'insensitive' } },
        },
        include: { tokens: { orderBy: { createdAt: 'desc' }, take: 1 } },
      });
      for (const request of requests) {
        const deadline = request.tokens[0]?.expiresAt;
        if (!deadline) continue; // never sent: it goes out to the new address when its group opens
        await sending.signing.sendSigningEmail({ requestId: request.id, kind: 'RESEND', sequence: 0, deadline: deadline.getTime() });
      }

      const occurrences = await db.activityOccurrence.findMany({
        where: {
          promiseId: input.promiseId,
          status: { in: ['PLANNED', 'POSTPONED'] },
          commitment: { contactEmail: { equals: input.email, mode: 'insensitive' } },
        },
      });
      let reminders = 0;
      for (const occurrence of occurrences) {
        const dueDate = occurrence.dueDate.toISOString().slice(0, 10);
        const latest = await db.emailOutbox.findFirst({
          where: { idempotencyKey: { startsWith: `occurrence:${occurrence.id}:${dueDate}:` }, recipient: { equals: input.previous, mode: 'insensitive' } },
          orderBy: { createdAt: 'desc' },
        });
        const match = latest && REMINDER_KEY.exec(latest.idempotencyKey);
        if (!match) continue;
        await sending.year.sendOccurrenceReminder({
          occurrenceId: occurrence.id,
          dueDate,
          kind: match[1] as OccurrenceReminderKind,
          sequence: Number(match[2]),
          scheduledFor: input.scheduledFor,
          resent: true,
        });
        reminders += 1;
      }
      return { requests: requests.length, reminders };
    },
  };
}
