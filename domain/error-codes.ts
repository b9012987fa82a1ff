// Every error code the product answers with, and its HTTP status: the one list that domain
// errors, workflow rejections, activity failures and the API's answers all draw from.

export const ERROR_STATUS = {
  /** Input that does not fit its schema, each field named. */
  VALIDATION: 400,
  /** Input that fits its schema but breaks a rule (a domain error). */
  INVALID: 400,
  /** The database refused a value (a permanent activity failure). */
  INVALID_DATA: 400,
  REASON_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  /** Known, but not for this caller from where it asks (the local mailbox off this machine). */
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_REQUEST: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  /** The promise is between two steps; the same call a moment later goes through. */
  BUSY: 409,
  ALREADY_REPORTED: 409,
  ALREADY_DECIDED: 409,
  ROUND_CLOSED: 409,
  GROUP_NOT_OPEN: 409,
  STALE_VERSION: 409,
  /** This signatory signs with BankID, not with the link alone. */
  BANKID_REQUIRED: 409,
  /** The BankID signature asked about is not waiting for the coordinator. */
  NOT_HELD: 409,
  /** A known path, another method; the Allow header lists the methods it takes. */
  METHOD_NOT_ALLOWED: 405,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many calls from one address; Retry-After says when to try again. */
  RATE_LIMITED: 429,
  /** The database or Temporal did not answer in time; the same call a moment later can succeed. */
  UNAVAILABLE: 503,
  /** The command was taken and will be carried out, but not within the wait; a later look shows it done. */
  PENDING: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && code in ERROR_STATUS;
