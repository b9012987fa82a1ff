// One BankID sign order, as a child of its signing round: start it, collect until it ends, then
// check that BankID's person may sign for the signatory. Each step's record lets a step done again
// after a crash carry on with the same order (activities/bankid.ts); the workflow's id is the
// order's, so one order is never run twice.
import { ActivityFailure } from '@temporalio/workflow';
import { bankIdCollect, bankIdStart, records } from './activity-stubs';

export interface BankIdOrderInput {
  orderId: string;
  endUserIp: string;
}

export type BankIdOrderResult =
  | { kind: 'COMPLETE'; orderId: string; match: boolean }
  | { kind: 'FAILED'; orderId: string; hintCode?: string; errorCode?: string }
  | { kind: 'CANCELLED'; orderId: string };

export const bankIdOrderWorkflowId = (orderId: string) => `bankid-${orderId}`;

export async function bankIdOrderWorkflow({ orderId, endUserIp }: BankIdOrderInput): Promise<BankIdOrderResult> {
  /** BankID did not answer for as long as the person can wait: the order ends, and the page says so. */
  const unreachable = async () => {
    await records.failBankIdOrder({ orderId, errorCode: 'unreachable' });
    return { kind: 'FAILED' as const, orderId, errorCode: 'unreachable' };
  };
  try {
    const start = await bankIdStart.startBankIdOrder({ orderId, endUserIp });
    if (!start.started) return { kind: 'FAILED', orderId, errorCode: start.errorCode };
    const outcome = await bankIdCollect.collectBankIdOrder({ orderId });
    if (outcome.status === 'cancelled') return { kind: 'CANCELLED', orderId };
    if (outcome.status === 'failed') return { kind: 'FAILED', orderId, hintCode: outcome.hintCode, errorCode: outcome.errorCode };
  } catch (error) {
    if (error instanceof ActivityFailure) return unreachable();
    throw error;
  }
  const { match } = await records.checkBankIdSigner({ orderId });
  return { kind: 'COMPLETE', orderId, match };
}
