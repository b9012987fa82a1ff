import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { PromiseRecord } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import { stockholmDateOf, utcDateOf, type IsoDate } from '../domain/calendar';
import { signingMethodProblems, type PromiseContent } from '../domain/content';
import { uuidFromName } from '../domain/crypto';
import { sameContent } from '../domain/document';
import { DomainError } from '../domain/errors';
import { canApply, isInYear, NOT_IN_YEAR_SV, transitionRefusal, type LifecycleEvent, type PromiseStatus } from '../domain/lifecycle';
import { reportProblems } from '../domain/report-rules';
import type { ActivityReport } from '../domain/requests';
import { correctAddress } from '../store/addresses';
import { heldSignaturesOf } from '../store/bankid-orders';
import type { Database } from '../store/database';
import { appendVersion, currentVersionOf, periodOf } from '../store/promises';
import { openRoundOf, waitingRequest } from '../store/signing';
import { deadlineOnDate } from '../domain/signing-timeline';
import { findOccurrence } from '../store/year';
import {
  announceAddressCorrection,
  askToResend,
  launchRenewal,
  moveDeadline,
  publishFollowUp,
  reportActivity,
  reviewBankIdSignature,
  reviseDuringSigning,
  submitForSigning,
  withdraw,
  type EngineClient,
} from './commands';
import { HttpError } from './errors';

// What a coordinator does to a promise, checked and carried out in one place: the API's routes and
// the web app's forms both call these, so a page and a request refuse and act alike.

export interface ActionDeps {
  db: Database;
  engine: EngineClient;
  /** Present when the installation has BankID (api/server.ts). */
  bankId?: unknown;
}

/** Refuses a text whose signatories sign with BankID where the installation has none, naming each. */
export function requireSigningMethods(deps: Pick<ActionDeps, 'bankId'>, content: PromiseContent) {
  const problems = signingMethodProblems(content, Boolean(deps.bankId));
  if (problems.length > 0) throw new HttpError('VALIDATION', 'Texten behöver rättas.', problems);
}

/** A promise the coordinator may run, and who acts. */
export interface Acting {
  promise: PromiseRecord;
  actor: Actor;
}

/** The lifecycle's own answer, so the early refusal and the workflow's validator agree. */
function requireTransition(status: PromiseStatus, event: LifecycleEvent) {
  if (!canApply(status, event)) throw new HttpError('INVALID_STATE', transitionRefusal(status, event));
}

/** The promise must be in its year (signed, not yet closed or withdrawn). */
export function requireInYear(promise: PromiseRecord) {
  if (!isInYear(promise.status)) throw new HttpError('INVALID_STATE', NOT_IN_YEAR_SV);
}

/**
 * A new text: a draft gets a new version; during signing, the workflow voids the round and starts a
 * new one. The same text saved again changes nothing; the answer says whether anything changed.
 */
export async function reviseContent(deps: ActionDeps, { promise, actor }: Acting, content: PromiseContent): Promise<boolean> {
  const { db, engine } = deps;
  requireTransition(promise.status, 'REVISED');
  requireSigningMethods(deps, content);
  if (promise.status === 'DRAFT') {
    try {
      const version = await appendVersion(db, { promiseId: promise.id, content, actor, allowedStatus: 'DRAFT' });
      return !version.unchanged;
    } catch (error) {
      // Submitted meanwhile: the workflow owns the text now, so the edit goes through it.
      if (!(error instanceof DomainError && error.code === 'CONFLICT')) throw error;
    }
  }
  if (sameContent((await currentVersionOf(db, promise)).content, content)) return false;
  await reviseDuringSigning(engine, promise.id, actor, content);
  return true;
}

/**
 * Sends a draft for signing. With an idempotency key the workflow is asked even when the promise
 * is no longer a draft: a submit already made with that key answers as it did, any other is refused.
 */
export async function submitPromise({ engine }: ActionDeps, { promise, actor }: Acting, idempotencyKey?: string) {
  if (!idempotencyKey) requireTransition(promise.status, 'SUBMIT');
  const updateId = idempotencyKey ? `submit-${uuidFromName(`submit:${actor.id}:${promise.id}:${idempotencyKey}`)}` : undefined;
  return submitForSigning(engine, promise.id, actor, updateId);
}

export async function withdrawPromise({ engine }: ActionDeps, { promise, actor }: Acting, reason: string) {
  requireTransition(promise.status, 'WITHDRAW');
  return withdraw(engine, promise.id, actor, reason);
}

/**
 * A signatory's or contact's address corrected. The correction is on record; the workflow sends
 * again what went to the old address. A workflow that has stopped does it when it is resumed (its
 * reminders read the new address).
 */
export async function correctAddressAndResend(
  { db, engine }: ActionDeps,
  { promise, actor }: Acting,
  { previous, email }: { previous: string; email: string },
) {
  const corrected = await correctAddress(db, { promiseId: promise.id, previous, email, actor });
  let resending = promise.status === 'SIGNING' || isInYear(promise.status);
  if (resending) {
    try {
      await announceAddressCorrection(engine, promise.id, previous, email);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      resending = false;
    }
  }
  return { corrected, resending };
}

/**
 * A report on one of the year's occurrences, by the coordinator (for a contact, a correction, or a
 * date that was to be set). With an idempotency key, the same report sent again is made once.
 */
export async function reportOnOccurrence(
  { db, engine }: ActionDeps,
  { promise, actor }: Acting,
  input: { occurrenceId: string; report: ActivityReport; correctsReportId?: string; idempotencyKey?: string },
) {
  requireInYear(promise);
  const { occurrenceId, idempotencyKey, ...command } = input;
  const occurrence = await findOccurrence(db, promise.id, occurrenceId);
  if (!occurrence) throw new HttpError('NOT_FOUND', `Aktiviteten ${occurrenceId} hör inte till löftet.`);
  const dueDate = occurrence.dueDate ? utcDateOf(occurrence.dueDate) : null;
  const problems = reportProblems(command.report, { dueDate }, periodOf(promise), stockholmDateOf(Date.now()));
  if (problems.length > 0) {
    throw new HttpError(
      'VALIDATION',
      'Rapporten kan inte tas emot.',
      problems.map((p) => ({ ...p, field: `report.${p.field}` })),
    );
  }
  const reportId = idempotencyKey ? uuidFromName(`report:${actor.id}:${occurrenceId}:${idempotencyKey}`) : randomUUID();
  await reportActivity(engine, promise.id, { reportId, occurrenceId, ...command, actor });
}

/**
 * A signing request sent again because the coordinator asked (the signatory cannot find it); a
 * new link, the earlier ones still working. The same `resendId` twice sends once.
 */
export async function resendSigningRequest(
  { db, engine }: ActionDeps,
  { promise }: Acting,
  input: { requestId: string; resendId: string },
) {
  if (promise.status !== 'SIGNING')
    throw new HttpError('INVALID_STATE', 'Löftet signeras inte nu; det finns ingen begäran att skicka igen.');
  if (!(await waitingRequest(db, promise.id, input.requestId))) {
    throw new HttpError('INVALID_STATE', 'Begäran väntar inte på svar (den är besvarad, ogiltig eller inte skickad än).');
  }
  await askToResend(engine, promise.id, input);
}

/**
 * The open round's deadline moved to the end of a later day, within the promise's period. The
 * round's workflow re-plans its reminders and warning and tells those who have not answered.
 */
export async function moveSigningDeadline({ db, engine }: ActionDeps, { promise, actor }: Acting, date: IsoDate) {
  const round = promise.status === 'SIGNING' ? await openRoundOf(db, promise.id) : undefined;
  if (!round) throw new HttpError('INVALID_STATE', 'Löftet signeras inte nu; det finns ingen sista dag att flytta.');
  const current = stockholmDateOf(round.deadline);
  const { end } = periodOf(promise);
  const problem =
    date <= current
      ? `ska vara senare än nuvarande sista dag (${current})`
      : date > end
        ? `får inte ligga efter löftets period (den slutar ${end})`
        : undefined;
  if (problem) throw new HttpError('VALIDATION', 'Sista dagen kan inte flyttas dit.', [{ field: 'deadline', problem }]);
  await moveDeadline(engine, round.workflowId, { deadline: deadlineOnDate(date), actor });
  return { deadline: date };
}

export async function publishFollowUpOf(
  { engine }: ActionDeps,
  { promise, actor }: Acting,
  input: { index: number; narrative: string; safetySurvey?: string; crimeStatistics?: string },
) {
  requireInYear(promise);
  await publishFollowUp(engine, promise.id, { ...input, actor });
}

export async function renewPromise({ engine }: ActionDeps, { promise, actor }: Acting) {
  requireInYear(promise);
  return launchRenewal(engine, promise.id, actor);
}

/** The coordinator's answer to a BankID signature held for a name that differs: it counts, or the signatory signs again. */
export async function reviewHeldSignature(
  deps: ActionDeps & { linkSecret: string },
  { promise, actor }: Acting,
  orderId: string,
  accept: boolean,
) {
  const [held] = await heldSignaturesOf(deps.db, deps.linkSecret, promise.id, orderId);
  if (!held) throw new HttpError('NOT_HELD', 'Underskriften väntar inte på ditt godkännande.');
  return reviewBankIdSignature(deps.engine, held.roundWorkflowId, { orderId, accept, actor });
}
