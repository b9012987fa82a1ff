// Failures the workflows handle instead of failing. A step that fails for good (a permanent failure,
// or a transient one past its retry bound) makes the promise "need attention": the reason is
// recorded where the coordinator sees it, and the step waits for a resume (then tries again) or a
// withdrawal. An e-mail that cannot go out is given up, and the promise goes on; the outbox shows it.
import { ActivityFailure, ApplicationFailure, condition, isCancellation, log } from '@temporalio/workflow';
import type { Actor } from '../domain/actor';
import { storableText } from '../domain/text';
import { attention } from './activity-stubs';
import type { PromiseWorkflowState } from './messages';

/** Thrown out of a step that was waiting for attention when a withdrawal came. */
export class WithdrawalRequested extends Error {}

/** A failure that no retry can mend: an activity's non-retryable ApplicationFailure. */
export const isPermanent = (error: unknown): boolean =>
  error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable === true;

/** The innermost cause's message, fit to be stored and shown. */
export const describeFailure = (error: unknown): string => {
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return storableText(cause instanceof Error ? cause.message : String(cause)).slice(0, 500);
};

/** Sends; if the e-mail cannot go out even after its retries, the caller goes on. */
export async function trySending(what: string, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.warn(`E-post gavs upp: ${what}`, { error: describeFailure(error) });
  }
}

/** A promise's steps, and its wait for attention when one fails for good. */
export class StepRunner {
  private resumedBy?: Actor;

  /**
   * `state.attention` shows the wait (in the state query, and `changed` is told so that the search
   * attributes follow); `interrupted` says whether a withdrawal should end it (not while the
   * withdrawal itself is being carried out).
   */
  constructor(
    private readonly promiseId: string,
    private readonly state: PromiseWorkflowState,
    private readonly interrupted: () => boolean,
    private readonly changed: () => void,
  ) {}

  async step<T>(what: string, action: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await action();
      } catch (error) {
        if (isCancellation(error)) throw error;
        await this.needAttention(`${what}: ${describeFailure(error)}`);
      }
    }
  }

  /** The resume command: ends the wait, so the step is tried again. */
  async resume(actor: Actor): Promise<void> {
    const waiting = this.state.attention;
    if (!waiting) return;
    this.resumedBy = actor;
    await condition(() => this.state.attention?.since !== waiting.since);
  }

  private async needAttention(reason: string): Promise<void> {
    const { promiseId } = this;
    const since = Date.now();
    this.state.attention = { reason, since };
    this.changed();
    log.error('Löftet behöver åtgärdas', { promiseId, reason });
    await attention.recordAttention({ promiseId, reason, since });
    this.resumedBy = undefined;
    await condition(() => this.resumedBy !== undefined || this.interrupted());
    if (this.resumedBy) await attention.clearAttention({ promiseId, since, actor: this.resumedBy });
    this.state.attention = undefined;
    this.changed();
    if (!this.resumedBy) throw new WithdrawalRequested();
  }
}
