// How long personal data is kept before the nightly retention run (workflows/retention.ts) removes
// or pseudonymises it. The inventory (domain/personal-data.ts) states these same figures; an
// operator may shorten each (README: "Personuppgifter"), never lengthen it.

export interface RetentionPolicy {
  /** IP addresses and browsers of signatures and recorded actions: days after they were recorded. */
  technicalDays: number;
  /** A relay's answer (which may name the address) on an e-mail: days after the last attempt. */
  relayAnswerDays: number;
  /** Signatories' and contacts' addresses: months after the promise's period ended (it must have closed). */
  addressMonths: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { technicalDays: 90, relayAnswerDays: 30, addressMonths: 24 };

/** An organisation's own limits for the promises it runs: each null, or shorter than the installation's. */
export interface OrganisationRetention {
  retentionTechnicalDays: number | null;
  retentionAddressMonths: number | null;
}

/** The limits that apply to an organisation's promises: its own where it has shortened them. */
export const organisationPolicy = (installation: RetentionPolicy, organisation: OrganisationRetention): RetentionPolicy => ({
  ...installation,
  technicalDays: Math.min(installation.technicalDays, organisation.retentionTechnicalDays ?? Infinity),
  addressMonths: Math.min(installation.addressMonths, organisation.retentionAddressMonths ?? Infinity),
});

/** Each kind of sweep, as its audit event and the run's result name it. */
export const SWEEPS = [
  'SIGNATURE_ORIGINS',
  'AUDIT_ORIGINS',
  'RELAY_ANSWERS',
  'SIGN_IN_ADDRESSES',
  'PROMISE_ADDRESSES',
  'ADDRESS_REFERENCES',
  'SIGN_IN_LINKS',
  'SESSIONS',
] as const;
export type Sweep = (typeof SWEEPS)[number];

const DAY_MS = 86_400_000;

/** The moment before which each sweep acts, for a run at `now` (workflow time, so tests can move it). */
export function retentionCutoffs(policy: RetentionPolicy, now: number) {
  const months = new Date(now);
  months.setUTCMonth(months.getUTCMonth() - policy.addressMonths);
  return {
    technical: new Date(now - policy.technicalDays * DAY_MS),
    relayAnswer: new Date(now - policy.relayAnswerDays * DAY_MS),
    /** A promise whose period ended before this (and that has closed) keeps no address. */
    periodEnded: months,
  };
}
