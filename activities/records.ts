import type { Actor } from '../domain/actor';
import type { AuditAction } from '../domain/audit-actions';
import type { PromiseStatus } from '../domain/lifecycle';
import { clearAttention, recordAttention, recordStatus } from '../store/promises';
import { readPromiseRecords } from '../store/recovery';
import type { ActivityDeps } from './index';

// The promise's own record: what a fresh run reads, its status, and whether it needs attention.

export function createRecordActivities({ db, logger }: ActivityDeps) {
  return {
    /** What a fresh run of the promise's workflow carries on from. */
    async readPromiseRecords(input: { promiseId: string }) {
      return readPromiseRecords(db, input.promiseId);
    },

    async recordAttention(input: { promiseId: string; reason: string; since: number }) {
      await recordAttention(db, { ...input, since: new Date(input.since) });
      // The reason may quote a relay's answer, which can name an address: the log says only that it happened.
      logger?.warn({ promiseId: input.promiseId }, 'löftet behöver åtgärdas');
    },

    async clearAttention(input: { promiseId: string; since: number; actor: Actor }) {
      await clearAttention(db, { ...input, since: new Date(input.since) });
      logger?.info({ promiseId: input.promiseId, by: input.actor.kind }, 'åtgärdat; steget görs om');
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
      logger?.info({ promiseId: input.promiseId, status: input.status, action: input.action }, 'status');
    },
  };
}
