// The activities as the workflows call them, one stub per kind of work, each with the retry
// policy that fits it. Permanent failures are never retried (activities/failures.ts); transient
// ones are retried with backoff until the stub's bound, and then the workflow handles the failure:
// a step asks for attention, an e-mail is given up and shows on the promise.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Called from an Update that a person waits for: a short bound, then "try again" (HTTP 503). */
export const interactive = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});

/** The promise's own records (rounds, status, the year): they ride out a database restart or failover, then ask for attention. */
export const records = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * E-mail, and the steps that end in one: a relay may be away for hours, so a day of tries. An
 * attempt gives up on the relay before 30 seconds (platform/mailer.ts), and a worker that died
 * mid-attempt is noticed after 30 seconds.
 */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Recording that a promise needs attention must land: it tries until the database answers. */
export const attention = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * A retention sweep: long, batch by batch, heartbeating so a killed worker is noticed within a
 * minute and another carries on. Given up after six hours; the next night's run finds what is left.
 */
export const retention = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Starting a BankID order: the person waits at the signing page, so a few quick tries in 15 seconds, then "BankID is not answering". */
export const bankIdStart = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});

/**
 * A BankID order's collect loop: it lives as long as the order (three minutes at most) and
 * heartbeats, so a worker killed mid-order is noticed within ten seconds and another worker
 * resumes the same order.
 */
export const bankIdCollect = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  scheduleToCloseTimeout: '8 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});

/**
 * A webhook delivery: the receiver may be away for a day, so a day of tries backing off to an hour
 * apart (sooner or later when its Retry-After says so); an attempt gives up after 10 seconds
 * (platform/outbound.ts), so 30 seconds notices a worker that died mid-attempt.
 */
export const webhookDelivery = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});
