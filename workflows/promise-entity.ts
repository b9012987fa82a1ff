// The state of one promise period and what changes it: the commands (Updates), their validators
// and the main loop. The signing rounds (promise-signing.ts) and the year (promise-year.ts) are
// classes of their own that this one wires together; the workflow function (promise-lifecycle.ts)
// only wires handlers to these methods.
//
// Rules kept here: the status moves only along the lifecycle table (domain/lifecycle.ts); every
// validator sees the phase, closing phases included; handlers that change the text or the year run
// one at a time (a mutex); a step that fails for good waits for a resume or a withdrawal instead of
// failing the workflow; updates count toward continue-as-new like timers do.
import { Mutex } from 'async-mutex';
import { allHandlersFinished, condition, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor';
import type { AuditAction } from '../domain/audit-actions';
import {
  canApply,
  isInYear,
  nextStatus,
  STATUS_LABELS_SV,
  transitionRefusal,
  type LifecycleEvent,
  type PromiseStatus,
} from '../domain/lifecycle';
import { periodEndedRefusal } from '../domain/schedule';
import { changedSearchAttributes, type PromiseListing } from '../domain/search-attributes';
import { unstorableTextMessage } from '../domain/text';
import { mail, records } from './activity-stubs';
import { StepRunner, trySending, WithdrawalRequested } from './attention';
import type {
  AddressCorrectedEvent,
  EmailBouncedEvent,
  ResendRequestedEvent,
  LaunchRenewalCommand,
  PromiseWorkflowState,
  PublishFollowUpCommand,
  ReportCommand,
  ResumeCommand,
  ReviseCommand,
  SubmitCommand,
  WithdrawCommand,
} from './messages';
import { PATCHES } from './patches';
import { SigningRounds } from './promise-signing';
import { PromiseYear } from './promise-year';
import { reject } from './refusals';
import type { YearState } from './year-plan';

export { PATCHES } from './patches';

export interface PromiseLifecycleInput {
  promiseId: string;
  /** What a previous run handed over through continue-as-new: plain JSON. */
  carried?: { state: PromiseWorkflowState; year: YearState };
  /** Continue as new past this many history events; otherwise when Temporal suggests it. */
  historyLimit?: number;
}

/** What the signing rounds and the year share of the promise: its state, its steps and its moves. */
export interface PromiseCore {
  readonly promiseId: string;
  readonly state: PromiseWorkflowState;
  readonly steps: StepRunner;
  readonly withdrawal?: WithdrawCommand;
  /** Makes a move along the lifecycle table that an activity has already recorded. */
  apply(event: LifecycleEvent): void;
  /** Records a move along the lifecycle table (status, reason, audit event under `key`), then makes it. */
  moveTo(event: LifecycleEvent, record: { action: AuditAction; actor: Actor; key: string; reason?: string }): Promise<void>;
  /** Whose promise and for when, as an activity said. */
  listedAs(listing: PromiseListing | undefined): void;
}

export class PromiseEntity implements PromiseCore {
  readonly promiseId: string;
  readonly state: PromiseWorkflowState;
  readonly steps: StepRunner;
  withdrawal?: WithdrawCommand;
  private readonly rounds: SigningRounds;
  private readonly year: PromiseYear;
  private ready: boolean;
  /** Resends the coordinator asked for in this run, by id. */
  private readonly resendsAsked = new Set<string>();
  private readonly oneAtATime = new Mutex();
  /** Whose promise and for when, once an activity has said (a run carried over keeps its attributes). */
  private listing?: PromiseListing;

  constructor(input: PromiseLifecycleInput) {
    this.promiseId = input.promiseId;
    this.state = input.carried?.state ?? { promiseId: input.promiseId, status: 'DRAFT', versionNumber: 0, roundNumber: 0 };
    this.year = new PromiseYear(this, input.carried?.year, input.historyLimit);
    this.rounds = new SigningRounds(this);
    this.ready = input.carried !== undefined || !patched(PATCHES.readRecordsOnStart);
    this.state.phase = !this.ready ? 'STARTING' : this.year.started ? 'YEAR' : 'IDLE';
    // A withdrawal ends a wait for attention, except the withdrawal's own steps.
    this.steps = new StepRunner(
      this.promiseId,
      this.state,
      () => this.withdrawal !== undefined && this.state.phase !== 'WITHDRAWING',
      () => this.list(),
    );
  }

  listedAs(listing: PromiseListing | undefined): void {
    this.listing = listing ?? this.listing;
  }

  /** Brings the search attributes in step with the state: only what changed, so most calls add nothing. */
  private list(): void {
    if (!patched(PATCHES.searchAttributes)) return;
    const wanted = { status: this.state.status, needsAttention: this.state.attention !== undefined, listing: this.listing };
    const changes = changedSearchAttributes(workflowInfo().typedSearchAttributes, wanted);
    if (changes.length > 0) upsertSearchAttributes(changes);
  }

  view(): PromiseWorkflowState {
    const event = this.year.nextEvent();
    if (!event) return this.state;
    const what =
      event.type === 'REMINDER'
        ? `${event.reminder.kind}:${event.reminder.sequence} ${event.occurrence.commitmentKey} ${event.dueDate}`
        : event.type === 'DATE_REQUEST'
          ? `DATE_REQUEST:${event.sequence} ${event.occurrence.commitmentKey}`
          : event.type;
    return { ...this.state, next: { what, at: new Date(event.at).toISOString() } };
  }

  // --- Validators: synchronous, on the state as it is now. ---

  private requireStorable(command: object): void {
    const unstorable = unstorableTextMessage(command);
    if (unstorable) reject('VALIDATION', unstorable);
  }

  private requireTransition(event: LifecycleEvent): void {
    if (!canApply(this.state.status, event) || this.withdrawal) reject('INVALID_STATE', transitionRefusal(this.state.status, event));
  }

  validateSubmit(command: SubmitCommand): void {
    this.requireStorable(command);
    if (this.state.phase === 'STARTING') return; // checked again once the records are read
    this.requireTransition('SUBMIT');
    if (this.state.phase !== 'IDLE') reject('BUSY', 'Löftet skickas redan för signering.');
  }

  validateRevise(command: ReviseCommand): void {
    this.requireStorable(command);
    const ended = periodEndedRefusal(command.content.period, Date.now());
    if (ended) reject('INVALID_STATE', ended);
    this.requireRevisable();
  }

  /** What another handler or the main loop may change while a revision waits for its turn. */
  private requireRevisable(): void {
    this.requireTransition('REVISED');
    // A draft is edited by the API directly; the workflow revises only a round in progress.
    if (this.state.status !== 'SIGNING') reject('INVALID_STATE', 'Texten kan bara ändras här medan signeringen pågår.');
    if (this.state.phase === 'CLOSING_ROUND')
      reject('INVALID_STATE', 'Signeringsomgången har just avslutats; texten kan inte ändras i den längre.');
    if (this.state.phase !== 'SIGNING') reject('BUSY', 'Signeringen håller på att starta; försök igen om en stund.');
  }

  validateWithdraw(command: WithdrawCommand): void {
    this.requireStorable(command);
    if (this.state.phase === 'STARTING') return;
    this.requireTransition('WITHDRAW');
  }

  validateReport(command: ReportCommand): void {
    this.requireStorable(command);
    this.year.validateReport(command);
  }

  validatePublishFollowUp(command: PublishFollowUpCommand): void {
    this.requireStorable(command);
    this.year.publishable(command);
  }

  validateLaunchRenewal(command: LaunchRenewalCommand): void {
    this.requireStorable(command);
    this.year.validateLaunchRenewal();
  }

  validateResume(command: ResumeCommand): void {
    this.requireStorable(command);
    if (this.state.phase !== 'STARTING' && !this.state.attention) reject('INVALID_STATE', 'Löftet väntar inte på någon åtgärd.');
  }

  // --- Handlers. ---

  private async whenReady(): Promise<void> {
    if (!this.ready) await condition(() => this.ready);
  }

  async submit(command: SubmitCommand) {
    await this.whenReady();
    return this.oneAtATime.runExclusive(async () => {
      this.validateSubmit(command);
      return this.rounds.submit(command);
    });
  }

  async revise(command: ReviseCommand) {
    return this.oneAtATime.runExclusive(async () => {
      this.requireRevisable(); // again: an earlier handler or the main loop may have moved on
      return this.rounds.revise(command);
    });
  }

  async withdraw(command: WithdrawCommand) {
    await this.whenReady();
    this.validateWithdraw(command);
    // The main loop carries it out between steps, so a withdrawal never interleaves with one.
    this.withdrawal = command;
    this.rounds.cancel();
    await condition(() => this.state.status === 'WITHDRAWN');
    return { status: this.state.status };
  }

  async report(command: ReportCommand) {
    return this.oneAtATime.runExclusive(() => this.year.report(command));
  }

  async publishFollowUp(command: PublishFollowUpCommand) {
    return this.oneAtATime.runExclusive(() => this.year.publishFollowUp(command));
  }

  launchRenewal(command: LaunchRenewalCommand): Promise<{ renewalId: string }> {
    return this.year.launchRenewal(command);
  }

  async resume(command: ResumeCommand): Promise<PromiseWorkflowState> {
    await this.whenReady();
    await this.steps.resume(command.actor);
    return this.state;
  }

  /** Fire and forget: the correction is on record; the resend follows when it can. */
  async onAddressCorrected(event: AddressCorrectedEvent): Promise<void> {
    await this.whenReady();
    await trySending('e-post till en rättad adress', () =>
      mail.resendAfterCorrection({ promiseId: this.promiseId, ...event, scheduledFor: Date.now() }),
    );
  }

  /**
   * Fire and forget, like a correction: the request goes out again if it still waits for an answer.
   * The same asking twice (a double click) is sent once: the outbox makes a send after a finished one
   * a no-op, but two sends of the same key running side by side could both reach the relay.
   */
  async onResendRequested(event: ResendRequestedEvent): Promise<void> {
    if (this.resendsAsked.has(event.resendId)) return;
    this.resendsAsked.add(event.resendId);
    await this.whenReady();
    await trySending('en begäran som skickas igen', () => mail.resendOnRequest({ promiseId: this.promiseId, ...event }));
  }

  /**
   * Fire and forget, like a correction: the e-mail is marked undeliverable and what it stood for
   * follows (activities/bounces.ts), whatever the promise is doing meanwhile.
   */
  async onEmailBounced(event: EmailBouncedEvent): Promise<void> {
    await this.whenReady();
    await trySending('en studsad e-post', () => mail.applyBounce({ noticeId: event.noticeId }));
  }

  // --- The main loop. ---

  async run(): Promise<PromiseWorkflowState> {
    try {
      if (!this.ready) await this.readRecords();
      await this.rounds.run();
      if (!this.withdrawal && isInYear(this.state.status)) await this.year.run();
    } catch (error) {
      if (!(error instanceof WithdrawalRequested)) throw error;
    }
    if (this.withdrawal) await this.carryOutWithdrawal(this.withdrawal);
    this.state.phase = 'ENDED';
    await condition(allHandlersFinished);
    return this.state;
  }

  /** The status an event leads to along the lifecycle table; anything else is a fault in this code. */
  private next(event: LifecycleEvent): PromiseStatus {
    const status = nextStatus(this.state.status, event);
    if (!status) throw new Error(`Livscykeln tillåter inte ${event} från ${this.state.status}.`);
    return status;
  }

  apply(event: LifecycleEvent): void {
    this.state.status = this.next(event);
    this.list();
  }

  async moveTo(event: LifecycleEvent, record: { action: AuditAction; actor: Actor; key: string; reason?: string }): Promise<void> {
    const status = this.next(event);
    await this.steps.step(`Ändra status till ${STATUS_LABELS_SV[status]}`, () =>
      records.recordStatus({ promiseId: this.promiseId, status, ...record }),
    );
    this.state.status = status;
    if (record.reason !== undefined) this.state.statusReason = record.reason;
    this.list();
  }

  /** A fresh run: the records say where the promise is; carry on from there. */
  private async readRecords(): Promise<void> {
    const recorded = await this.steps.step('Läsa löftets uppgifter', () => records.readPromiseRecords({ promiseId: this.promiseId }));
    Object.assign(this.state, {
      status: recorded.status,
      statusReason: recorded.statusReason,
      versionNumber: recorded.versionNumber,
      roundNumber: recorded.roundNumber,
    });
    const { round } = recorded;
    // The round ended but what follows was not carried out: the signing rounds carry it out first.
    this.rounds.adopt(round);
    if (round?.ended?.kind === 'WITHDRAWN') this.withdrawal = { actor: SYSTEM_ACTOR, reason: round.ended.reason };
    this.year.adopt(recorded.year);
    this.state.phase = this.year.started ? 'YEAR' : this.state.status === 'SIGNING' ? 'SIGNING' : 'IDLE';
    this.listing = recorded.listing;
    this.list();
    this.ready = true;
  }

  private async carryOutWithdrawal({ actor, reason }: WithdrawCommand): Promise<void> {
    this.state.phase = 'WITHDRAWING';
    const { promiseId } = this;
    await this.rounds.closeForWithdrawal(reason);
    await this.moveTo('WITHDRAW', { action: 'WITHDRAWN', actor, key: `withdrawn:${promiseId}`, reason });
    await trySending('besked om återkallelse', () => mail.notifyWithdrawal({ promiseId, reason }));
  }
}
