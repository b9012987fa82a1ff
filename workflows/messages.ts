// Every message the workflows accept, in one module that the workflows, the API and the tests
// import. Each handler takes a single object argument.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PromiseContent } from '../domain/content';
import type { Actor } from '../domain/actor';

/**
 * What every command from a person carries: who gives it, and (from the API) until when it may
 * take effect; after that the workflow refuses it unapplied (workflows/refusals.ts).
 */
export interface PersonCommand {
  actor: Actor;
  /** Epoch milliseconds; absent in commands recorded before there was a deadline. */
  notAfter?: number;
}
import type { PromiseStatus } from '../domain/lifecycle';
import type { ActivityReport } from '../domain/requests';

// The promise's lifecycle workflow (one per promise period).

export interface SubmitCommand extends PersonCommand {
  actor: Actor;
}
export interface SubmitResult {
  status: PromiseStatus;
  roundNumber: number;
  versionNumber: number;
}
export const submitUpdate = defineUpdate<SubmitResult, [SubmitCommand]>('submit');

export interface ReviseCommand extends PersonCommand {
  actor: Actor;
  content: PromiseContent;
}
export interface ReviseResult {
  versionNumber: number;
  sha256: string;
}
export const reviseUpdate = defineUpdate<ReviseResult, [ReviseCommand]>('revise');

export interface WithdrawCommand extends PersonCommand {
  actor: Actor;
  reason: string;
}
export const withdrawUpdate = defineUpdate<{ status: PromiseStatus }, [WithdrawCommand]>('withdraw');

/**
 * Where the workflow is within its status: which commands it takes now. A closing phase refuses
 * what would change what is being closed (a new text while an all-signed round is recorded).
 */
export type PromisePhase =
  | 'STARTING' // a fresh run reading the records
  | 'IDLE' // a draft, waiting to be submitted
  | 'SUBMITTING' // a submit preparing its round
  | 'SIGNING' // a round under way
  | 'CLOSING_ROUND' // a round has ended; its outcome is being recorded
  | 'STARTING_YEAR' // occurrences being scheduled
  | 'YEAR'
  | 'HANDING_OVER' // about to continue as new
  | 'WITHDRAWING'
  | 'ENDED';

export interface PromiseWorkflowState {
  promiseId: string;
  status: PromiseStatus;
  statusReason?: string;
  versionNumber: number;
  /** Signing rounds started so far; the current one while SIGNING. */
  roundNumber: number;
  phase?: PromisePhase;
  /** Set while a step has failed for good: the promise waits for a resume or a withdrawal. */
  attention?: { reason: string; since: number };
  /** In the year: what is due next and when (ISO time), e.g. "BEFORE:0 dialogmoten 2027-06-30". */
  next?: { what: string; at: string };
}
export const promiseStateQuery = defineQuery<PromiseWorkflowState>('state');

export interface ResumeCommand extends PersonCommand {
  actor: Actor;
}
/** Retries the step that needed attention; on a run started again, carries on from the records. */
export const resumeUpdate = defineUpdate<PromiseWorkflowState, [ResumeCommand]>('resume');

export interface AddressCorrectedEvent {
  previous: string;
  email: string;
}
/** The coordinator corrected an address (already on record): what went to the old one goes out again. */
export const addressCorrectedSignal = defineSignal<[AddressCorrectedEvent]>('addressCorrected');

export interface ResendRequestedEvent {
  requestId: string;
  /** Names this asking: the same id twice sends once. */
  resendId: string;
}
/** The coordinator asked for a signing request to be sent again (the signatory cannot find it). */
export const resendRequestedSignal = defineSignal<[ResendRequestedEvent]>('resendRequested');

export interface EmailBouncedEvent {
  /** The recorded notice (store/bounces.ts): a permanent failure of one of the promise's e-mails. */
  noticeId: string;
}
/** A delivery status notification said one of the promise's e-mails will never arrive (issue 26). */
export const emailBouncedSignal = defineSignal<[EmailBouncedEvent]>('emailBounced');

// A signing round (child workflow, one per round).

export interface DecisionCommand extends PersonCommand {
  signingRequestId: string;
  decision: 'SIGN' | 'DECLINE';
  reason?: string;
  /** The SHA-256 the signatory was shown: a signature covers exactly that text. */
  documentSha256: string;
  actor: Actor;
}
export interface DecisionResult {
  decision: 'SIGNED' | 'DECLINED';
  remaining: number;
}
export const decideUpdate = defineUpdate<DecisionResult, [DecisionCommand]>('decide');

export interface StartBankIdOrderCommand extends PersonCommand {
  signingRequestId: string;
  /** Chosen by the signing page, which has already made the order's record. */
  orderId: string;
  sameDevice: boolean;
  /** The person's address as the service sees it: BankID asks for it (endUserIp). */
  endUserIp: string;
  documentSha256: string;
  actor: Actor;
}
/** Starts a BankID sign order for a signatory who signs with BankID; the round records the signature when it completes. */
export const startBankIdOrderUpdate = defineUpdate<{ orderId: string }, [StartBankIdOrderCommand]>('startBankIdOrder');

export interface ReviewBankIdCommand extends PersonCommand {
  orderId: string;
  accept: boolean;
  actor: Actor;
}
/** The coordinator accepts or refuses a BankID signature held because BankID's name was not the signatory's. */
export const reviewBankIdSignatureUpdate = defineUpdate<{ decision: 'SIGNED' | 'REFUSED' }, [ReviewBankIdCommand]>('reviewBankIdSignature');

export interface MoveDeadlineCommand extends PersonCommand {
  /** The new deadline, epoch milliseconds: later than the round's, not past the promise's period. */
  deadline: number;
  actor: Actor;
}
export const moveDeadlineUpdate = defineUpdate<{ deadline: number }, [MoveDeadlineCommand]>('moveDeadline');

export interface SigningRoundState {
  openGroups: number[];
  decisions: Record<string, 'SIGNED' | 'DECLINED'>;
  remindersSent: number;
  /** The deadline as it stands (moved or not); absent from runs before it could be moved. */
  deadline?: number;
}
export const signingRoundStateQuery = defineQuery<SigningRoundState>('roundState');

// The year after signing (handled by the promise's workflow).

export interface ReportCommand extends PersonCommand {
  /** Chosen by the caller (a UUID): the report's id, so a retried call records it once. */
  reportId: string;
  occurrenceId: string;
  report: ActivityReport;
  correctsReportId?: string;
  actor: Actor;
}
export const reportUpdate = defineUpdate<{ occurrenceId: string; open: boolean; dueDate: string | null }, [ReportCommand]>('report');

export interface PublishFollowUpCommand extends PersonCommand {
  index: number;
  narrative: string;
  safetySurvey?: string;
  crimeStatistics?: string;
  actor: Actor;
}
export const publishFollowUpUpdate = defineUpdate<{ status: PromiseStatus }, [PublishFollowUpCommand]>('publishFollowUp');

export interface LaunchRenewalCommand extends PersonCommand {
  actor: Actor;
}
export const launchRenewalUpdate = defineUpdate<{ renewalId: string }, [LaunchRenewalCommand]>('launchRenewal');

/** More webhook deliveries were written for a drain's endpoint and promise (workflows/webhook-drain.ts). */
export const webhooksPendingSignal = defineSignal('webhooksPending');
