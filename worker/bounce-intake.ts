import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { promiseWorkflowId } from '../domain/identifiers';
import { readInboundMessage, type InboundMessage } from '../platform/inbound-mail';
import type { InboundMailOutcome, Metrics } from '../platform/metrics';
import { markNoticeSignalled, recordBounceNotice, type RecordedNotice } from '../store/bounces';
import type { Database } from '../store/database';
import { emailBouncedSignal } from '../workflows/messages';

// Each message that reaches the bounce mailbox, by IMAP or the inbound SMTP port, taken in once:
// read, recorded (one notice per e-mail and kind), and a permanent failure told to the promise's
// workflow, which applies it (activities/bounces.ts). A failure to record or to tell throws, so the
// message stays where it was (IMAP) or is refused for now (SMTP 451) and comes again; coming again
// finds the notice recorded and tells the workflow only if it was not told.

export interface BounceIntakeDeps {
  db: Database;
  client: Client;
  linkSecret: string;
  /** BOUNCE_ADDRESS: the mailbox the return paths are made from. */
  bounceAddress: string;
  metrics?: Metrics;
  logger?: Logger;
}

export type BounceIntake = (raw: Buffer, recipient?: string) => Promise<InboundMailOutcome>;

export function createBounceIntake(deps: BounceIntakeDeps): BounceIntake {
  const { db, logger } = deps;

  async function tellWorkflow(notice: Extract<RecordedNotice, { noticeId: string }>): Promise<void> {
    if (notice.promiseId) {
      try {
        await deps.client.workflow.getHandle(promiseWorkflowId(notice.promiseId)).signal(emailBouncedSignal, { noticeId: notice.noticeId });
      } catch (error) {
        // The promise's workflow has ended: the notice stays on record and changes nothing.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    await markNoticeSignalled(db, notice.noticeId);
  }

  async function take(message: InboundMessage): Promise<InboundMailOutcome> {
    switch (message.kind) {
      case 'UNREADABLE':
        logger?.warn({ reason: message.reason }, 'studs: meddelandet gick inte att läsa');
        return 'unreadable';
      case 'UNVERIFIED_BOUNCE':
        logger?.warn({ reason: message.reason }, 'studs: leveransrapport utan giltig returadress, ingenting ändras');
        return 'forged';
      case 'AUTO_REPLY':
        return 'auto_reply';
      case 'REPLY': {
        if (!message.outboxId) return 'reply';
        const notice = await recordBounceNotice(db, { outboxId: message.outboxId, kind: 'REPLY' });
        return notice.outcome === 'UNKNOWN_EMAIL' ? 'unknown_email' : notice.outcome === 'DUPLICATE' ? 'duplicate' : 'reply';
      }
      case 'BOUNCE': {
        const report = message.reports.find((r) => r.bounce === 'PERMANENT') ?? message.reports.find((r) => r.bounce === 'DELAYED');
        if (!report) return 'not_a_failure';
        const kind = report.bounce === 'PERMANENT' ? 'PERMANENT' : 'DELAYED';
        const notice = await recordBounceNotice(db, {
          outboxId: message.outboxId,
          kind,
          status: report.status,
          ...(report.diagnostic ? { diagnostic: report.diagnostic } : {}),
        });
        if (notice.outcome === 'UNKNOWN_EMAIL') {
          logger?.warn({ outboxId: message.outboxId }, 'studs: e-posten finns inte (gallrad, eller aldrig vår)');
          return 'unknown_email';
        }
        if (kind === 'PERMANENT' && !notice.signalled) await tellWorkflow(notice);
        if (notice.outcome === 'DUPLICATE') return 'duplicate';
        logger?.info({ outboxId: message.outboxId, promiseId: notice.promiseId, status: report.status, kind }, 'studs');
        return kind === 'PERMANENT' ? 'bounce' : 'delayed';
      }
    }
  }

  return async (raw, recipient) => {
    let outcome: InboundMailOutcome;
    try {
      const message = await readInboundMessage(raw, {
        linkSecret: deps.linkSecret,
        bounceAddress: deps.bounceAddress,
        ...(recipient ? { recipient } : {}),
      });
      outcome = await take(message);
    } catch (error) {
      deps.metrics?.inboundMail.inc({ outcome: 'failed' });
      throw error;
    }
    deps.metrics?.inboundMail.inc({ outcome });
    return outcome;
  };
}
