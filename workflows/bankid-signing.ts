// Signing with BankID inside a signing round: the signing page asks the round to start an order
// (a child workflow, workflows/bankid-order.ts); when the order completes and BankID's person may
// sign, the round records the signature as it records any other. A signature whose name BankID gave
// differently is held until the coordinator accepts or refuses it.
import { ParentClosePolicy, setHandler, startChild } from '@temporalio/workflow';
import type { Actor } from '../domain/actor';
import type { DecisionRecord, RoundPlan } from '../store/signing';
import { interactive } from './activity-stubs';
import { bankIdOrderWorkflow, bankIdOrderWorkflowId, type BankIdOrderResult } from './bankid-order';
import { reviewBankIdSignatureUpdate, startBankIdOrderUpdate, type ReviewBankIdCommand, type StartBankIdOrderCommand } from './messages';
import { onTime, reject } from './refusals';

interface Round {
  plan: RoundPlan;
  /** The request a signatory may answer now; refuses (rejects) otherwise. */
  answerable(requestId: string, documentSha256: string): RoundPlan['requests'][number];
  closed(): boolean;
  /** Answered already, or being answered (a decline by the link, say). */
  answered(requestId: string): boolean;
  record(requestId: string, decision: 'SIGNED', details: Omit<DecisionRecord, 'requestId' | 'decision'>): Promise<void>;
}

interface Signing {
  requestId: string;
  documentSha256: string;
  actor: Actor;
}

export function wireBankIdSigning(round: Round) {
  /** The order each request is on now; a newer order takes the place of an older one. */
  const current = new Map<string, string>();
  /** Complete orders waiting for the coordinator, by order id. */
  const held = new Map<string, Signing>();

  async function follow(orderId: string, signing: Signing, result: Promise<BankIdOrderResult>) {
    const outcome = await result;
    if (current.get(signing.requestId) !== orderId) return;
    if (outcome.kind !== 'COMPLETE') {
      current.delete(signing.requestId);
      return;
    }
    if (!outcome.match) {
      held.set(orderId, signing);
      return;
    }
    // Closed or answered meanwhile (expired, declined): the order's evidence stays on record, unused.
    if (round.closed() || round.answered(signing.requestId)) return;
    await round.record(signing.requestId, 'SIGNED', { ...without(signing), bankId: { orderId } });
  }

  setHandler(
    startBankIdOrderUpdate,
    async (command: StartBankIdOrderCommand) => {
      const child = await startChild(bankIdOrderWorkflow, {
        workflowId: bankIdOrderWorkflowId(command.orderId),
        args: [{ orderId: command.orderId, endUserIp: command.endUserIp }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
      });
      current.set(command.signingRequestId, command.orderId);
      const signing = { requestId: command.signingRequestId, documentSha256: command.documentSha256, actor: command.actor };
      void follow(command.orderId, signing, child.result());
      return { orderId: command.orderId };
    },
    {
      validator: onTime((command: StartBankIdOrderCommand) => {
        const request = round.answerable(command.signingRequestId, command.documentSha256);
        if (request.method !== 'BANKID') reject('INVALID', 'Den här undertecknaren signerar med länken i e-posten, inte med BankID.');
        if ([...held.values()].some((s) => s.requestId === request.requestId)) {
          reject('ALREADY_DECIDED', 'Din underskrift med BankID väntar på att samordnaren godkänner den.');
        }
      }),
    },
  );

  setHandler(
    reviewBankIdSignatureUpdate,
    async (command: ReviewBankIdCommand) => {
      const signing = held.get(command.orderId)!;
      held.delete(command.orderId);
      current.delete(signing.requestId);
      if (!command.accept) {
        await interactive.refuseBankIdSignature({ orderId: command.orderId, actor: command.actor });
        return { decision: 'REFUSED' as const };
      }
      await round.record(signing.requestId, 'SIGNED', {
        ...without(signing),
        bankId: { orderId: command.orderId, acceptedBy: command.actor.id },
      });
      return { decision: 'SIGNED' as const };
    },
    {
      validator: onTime((command: ReviewBankIdCommand) => {
        if (!held.has(command.orderId)) reject('NOT_HELD', 'Underskriften väntar inte på ditt godkännande.');
        if (round.closed()) reject('ROUND_CLOSED', 'Signeringsomgången är redan avslutad.');
      }),
    },
  );
}

const without = ({ requestId: _requestId, ...rest }: Signing) => rest;
