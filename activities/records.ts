import type { Actor } from '../domain/actor';
import type { AuditAction } from '../domain/audit-actions';
import type { PromiseStatus } from '../domain/lifecycle';
import { clearAttention, recordAttention, recordStatus } from '../store/promises';
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
    async recordStatus(input: {
      promiseId: string;
      status: PromiseStatus;
      reason?: string;
      action: AuditAction;
      actor: Actor;
      key: string;
    }) {
      await recordStatus(db, input);
    },
  };
}
