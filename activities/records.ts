import type { Actor } from '../domain/actor';
import type { PromiseStatus } from '../domain/lifecycle';
import { recordAudit } from '../store/audit';
import { clearAttention, recordAttention } from '../store/promises';
import { readPromiseRecords } from '../store/recovery';
import type { ActivityDeps } from './index';

// The promise's own record: what a fresh run reads, its status, and whether it needs attention.

export function createRecordActivities({ db }: ActivityDeps) {
  return {
    /** What a fresh run of the promise's workflow carries on from. */
    async readPromiseRecords(input: { promiseId: string }) {
      return readPromiseRecords(db, input.promiseId);
    },

    async recordAttention(input: { promiseId: string; reason: string; since: number }) {
      await recordAttention(db, { ...input, since: new Date(input.since) });
    },

    async clearAttention(input: { promiseId: string; since: number; actor: Actor }) {
      await clearAttention(db, { ...input, since: new Date(input.since) });
    },

    /** Moves the promise's recorded status; `key` makes the audit event once-only under retries. */
    async recordStatus(input: { promiseId: string; status: PromiseStatus; reason?: string; action: string; actor: Actor; key: string }) {
      await db.$transaction(async (tx) => {
        await tx.promiseRecord.update({
          where: { id: input.promiseId },
          // A new status also ends any wait for attention.
          data: { status: input.status, statusReason: input.reason ?? null, attentionReason: null, attentionSince: null },
        });
        await recordAudit(tx, {
          promiseId: input.promiseId,
          actor: input.actor,
          action: input.action,
          details: { status: input.status, ...(input.reason ? { reason: input.reason } : {}) },
          idempotencyKey: input.key,
        });
      });
    },
  };
}
