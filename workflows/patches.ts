// Behaviour changes that running promises must not see mid-history (see the README's deploys):
// each is taken only where `patched()` says the history was written by code that has it.

export const PATCHES = {
  /** A fresh run reads the records first, so that one started again carries on from them. */
  readRecordsOnStart: 'read-records-on-start',
  /** Every change to the year counts toward continue-as-new, not only the year's own timers. */
  handOverAfterAnyChange: 'hand-over-after-any-change',
  /** A decline tells the other signatories that the round stopped. */
  tellSignatoriesOfDecline: 'tell-signatories-of-decline',
  /** Status, attention and whose promise it is are kept in search attributes. */
  searchAttributes: 'search-attributes',
  /** A signing round keeps its timer for the next reminder across decisions instead of starting it again after each. */
  keepRoundTimer: 'keep-round-timer',
} as const;
