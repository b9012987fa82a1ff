// The lifecycle of one promise period (DESIGN.md section 2), as data both the workflow and the
// API check against, so that the API's early answers and the workflow's decisions agree.

export const PROMISE_STATUSES = ['DRAFT', 'SIGNING', 'ACTIVE', 'FOLLOW_UP', 'CLOSED', 'WITHDRAWN'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

export type LifecycleEvent =
  | 'SUBMIT'
  | 'ALL_SIGNED'
  | 'DECLINED'
  | 'DEADLINE_PASSED'
  | 'REVISED'
  | 'ROUND_ABANDONED'
  | 'PERIOD_ENDED'
  | 'FOLLOW_UP_PUBLISHED'
  | 'WITHDRAW';

const TRANSITIONS: Record<PromiseStatus, Partial<Record<LifecycleEvent, PromiseStatus>>> = {
  DRAFT: { SUBMIT: 'SIGNING', REVISED: 'DRAFT', WITHDRAW: 'WITHDRAWN' },
  SIGNING: {
    ALL_SIGNED: 'ACTIVE',
    DECLINED: 'DRAFT',
    DEADLINE_PASSED: 'DRAFT',
    REVISED: 'SIGNING',
    ROUND_ABANDONED: 'DRAFT',
    WITHDRAW: 'WITHDRAWN',
  },
  ACTIVE: { PERIOD_ENDED: 'FOLLOW_UP', WITHDRAW: 'WITHDRAWN' },
  FOLLOW_UP: { FOLLOW_UP_PUBLISHED: 'CLOSED', WITHDRAW: 'WITHDRAWN' },
  CLOSED: {},
  WITHDRAWN: {},
};

export function nextStatus(from: PromiseStatus, event: LifecycleEvent): PromiseStatus | undefined {
  return TRANSITIONS[from][event];
}

export function canApply(from: PromiseStatus, event: LifecycleEvent): boolean {
  return nextStatus(from, event) !== undefined;
}

/** Reports, follow-ups and the renewal belong to a signed promise's year: ACTIVE or FOLLOW_UP. */
export const isInYear = (status: PromiseStatus): boolean => status === 'ACTIVE' || status === 'FOLLOW_UP';
export const NOT_IN_YEAR_SV = 'Det går bara när löftet är aktivt eller under uppföljning.';

export const STATUS_LABELS_SV: Record<PromiseStatus, string> = {
  DRAFT: 'Utkast',
  SIGNING: 'Under signering',
  ACTIVE: 'Aktivt',
  FOLLOW_UP: 'Uppföljning',
  CLOSED: 'Avslutat',
  WITHDRAWN: 'Återkallat',
};

/** Why an event is not allowed now, in Swedish, for 409 answers and rejected Updates. */
export function transitionRefusal(from: PromiseStatus, event: LifecycleEvent): string {
  return `Det går inte att ${EVENT_VERBS_SV[event]} när löftet har status ${STATUS_LABELS_SV[from]} (${from}).`;
}

const EVENT_VERBS_SV: Record<LifecycleEvent, string> = {
  SUBMIT: 'skicka löftet för signering',
  ALL_SIGNED: 'aktivera löftet',
  DECLINED: 'avböja',
  DEADLINE_PASSED: 'låta signeringen löpa ut',
  REVISED: 'ändra texten',
  ROUND_ABANDONED: 'avbryta signeringen',
  PERIOD_ENDED: 'avsluta perioden',
  FOLLOW_UP_PUBLISHED: 'publicera uppföljningen',
  WITHDRAW: 'återkalla löftet',
};
