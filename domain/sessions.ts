import { durationToMs, type Duration } from './durations';

// How long a coordinator stays signed in, and how long a sign-in link works. Pure: the store
// applies these to its rows, the tests to their clocks.

export interface SessionPolicy {
  /** A session unused this long has ended (SESSION_IDLE). */
  idle: Duration;
  /** A session this old has ended however much it is used (SESSION_MAX). */
  max: Duration;
  /** A sign-in link works this long after it was sent (SIGN_IN_LINK_TTL). */
  signInLink: Duration;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idle: '2h', max: '12h', signInLink: '30m' };

/** Why a session has ended at `now`, if it has. */
export function sessionEnding(
  session: { createdAt: Date; lastSeenAt: Date; endedAt: Date | null },
  policy: SessionPolicy,
  now: number,
): 'SIGNED_OUT' | 'IDLE' | 'MAX' | undefined {
  if (session.endedAt) return 'SIGNED_OUT';
  if (now - session.createdAt.getTime() >= durationToMs(policy.max)) return 'MAX';
  if (now - session.lastSeenAt.getTime() >= durationToMs(policy.idle)) return 'IDLE';
  return undefined;
}
