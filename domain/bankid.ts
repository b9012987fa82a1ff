import { z } from 'zod';

// BankID's Auth & Sign API v6.0 (the relying party's side), as BankID publishes it: the orders'
// states, hint codes and error codes, what a person is told for each (BankID's recommended user
// messages, RFA1–RFA23), and the rules this product adds: what the person sees in the app, and
// whether the name BankID returns is the signatory's.

export const PENDING_HINTS = ['outstandingTransaction', 'noClient', 'started', 'userMrtd', 'userCallConfirm', 'userSign'] as const;
export const FAILED_HINTS = [
  'expiredTransaction',
  'certificateErr',
  'userCancel',
  'cancelled',
  'startFailed',
  'userDeclinedCall',
  'notSupportedByUserApp',
  'transactionRiskBlocked',
] as const;
export type PendingHint = (typeof PENDING_HINTS)[number];
export type FailedHint = (typeof FAILED_HINTS)[number];

/** The errorCode of an HTTP error from the API, with its status. BankID may add codes: an unknown one is RFA22. */
export const BANKID_ERRORS = {
  alreadyInProgress: 400,
  invalidParameters: 400,
  unauthorized: 401,
  notFound: 404,
  methodNotAllowed: 405,
  requestTimeout: 408,
  unsupportedMediaType: 415,
  tooManyRequests: 429,
  internalError: 500,
  maintenance: 503,
} as const;
export type BankIdErrorCode = keyof typeof BANKID_ERRORS;

/** The order times BankID documents: a QR code must be scanned within 30 s, an order ends after 3 minutes. */
export const ORDER_START_SECONDS = 30;
export const ORDER_LIFETIME_SECONDS = 180;
/** How often the relying party collects, as BankID asks. */
export const COLLECT_INTERVAL_MS = 2_000;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'ska vara Base64');
const PersonalNumber = z.string().regex(/^\d{12}$/, 'ska vara 12 siffror (ÅÅÅÅMMDDNNNN)');

export const BankIdRequirementSchema = z
  .object({
    pinCode: z.boolean().optional(),
    mrtd: z.boolean().optional(),
    cardReader: z.enum(['class1', 'class2']).optional(),
    certificatePolicies: z.array(z.string()).optional(),
    personalNumber: PersonalNumber.optional(),
  })
  .strict();

/** POST /rp/v6.0/sign (auth takes the same, with userVisibleData optional). */
export const BankIdOrderRequestSchema = z
  .object({
    endUserIp: z.union([z.ipv4(), z.ipv6()]),
    requirement: BankIdRequirementSchema.optional(),
    userVisibleData: base64.min(1).max(40_000).optional(),
    userNonVisibleData: base64.max(200_000).optional(),
    userVisibleDataFormat: z.literal('simpleMarkdownV1').optional(),
    returnUrl: z.url().optional(),
    returnRisk: z.boolean().optional(),
    app: z.object({}).passthrough().optional(),
    web: z.object({}).passthrough().optional(),
  })
  .strict();
export type BankIdOrderRequest = z.infer<typeof BankIdOrderRequestSchema>;

export const BankIdOrderResponseSchema = z.object({
  orderRef: z.string(),
  autoStartToken: z.string(),
  qrStartToken: z.string(),
  qrStartSecret: z.string(),
});
export type BankIdOrder = z.infer<typeof BankIdOrderResponseSchema>;

export const BankIdCompletionSchema = z.object({
  user: z.object({ personalNumber: z.string(), name: z.string(), givenName: z.string(), surname: z.string() }),
  device: z.object({ ipAddress: z.string(), uhi: z.string().optional() }),
  bankIdIssueDate: z.string().optional(),
  stepUp: z.object({ mrtd: z.boolean() }).optional(),
  signature: z.string(),
  ocspResponse: z.string(),
  risk: z.string().optional(),
});
export type BankIdCompletion = z.infer<typeof BankIdCompletionSchema>;

export const BankIdCollectResponseSchema = z.discriminatedUnion('status', [
  z.object({ orderRef: z.string(), status: z.literal('pending'), hintCode: z.string() }),
  z.object({ orderRef: z.string(), status: z.literal('failed'), hintCode: z.string() }),
  z.object({ orderRef: z.string(), status: z.literal('complete'), completionData: BankIdCompletionSchema }),
]);
export type BankIdCollect = z.infer<typeof BankIdCollectResponseSchema>;

export const BankIdErrorSchema = z.object({ errorCode: z.string(), details: z.string() });

/** The recommended user messages this product shows. */
export type RfaMessage =
  | 'RFA1'
  | 'RFA3'
  | 'RFA4'
  | 'RFA5'
  | 'RFA6'
  | 'RFA8'
  | 'RFA9'
  | 'RFA13'
  | 'RFA14'
  | 'RFA16'
  | 'RFA17A'
  | 'RFA17B'
  | 'RFA21'
  | 'RFA22'
  | 'RFA23';

/**
 * What the person is told about an order, as BankID's guidelines pair them: by the pending or
 * failed hint code, or by the error the API gave. `sameDevice`: the app was started by the
 * autostart link (RFA13, RFA17-A) rather than shown a QR code (RFA1, RFA17-B).
 */
export function messageFor(
  state: { status: 'pending' | 'failed'; hintCode?: string } | { errorCode: string },
  sameDevice: boolean,
): RfaMessage {
  if ('errorCode' in state) {
    if (state.errorCode === 'alreadyInProgress') return 'RFA4';
    // BankID's own "try again" errors, and BankID not reached at all (the client's unreachable and timeout).
    if (['requestTimeout', 'internalError', 'maintenance', 'unreachable', 'timeout'].includes(state.errorCode)) return 'RFA5';
    return 'RFA22';
  }
  if (state.status === 'pending') {
    switch (state.hintCode) {
      case 'outstandingTransaction':
        return sameDevice ? 'RFA13' : 'RFA1';
      case 'noClient':
        return 'RFA1';
      case 'started':
        return 'RFA14';
      case 'userMrtd':
        return 'RFA23';
      case 'userSign':
        return 'RFA9';
      default:
        return 'RFA21';
    }
  }
  switch (state.hintCode) {
    case 'expiredTransaction':
      return 'RFA8';
    case 'certificateErr':
      return 'RFA16';
    case 'userCancel':
      return 'RFA6';
    case 'cancelled':
      return 'RFA3';
    case 'startFailed':
      return sameDevice ? 'RFA17A' : 'RFA17B';
    default:
      return 'RFA22';
  }
}

/** The text the BankID app shows (simpleMarkdownV1), in plain Swedish: what is signed, by which parties, with which fingerprint. */
export function userVisibleText(input: { title: string; versionNumber: number; parties: string[]; sha256: string }): string {
  return [
    '# Underskrift av medborgarlöfte',
    '',
    `Jag skriver under *${input.title}*, version ${input.versionNumber}, mellan ${listInSwedish(input.parties)}.`,
    '',
    'Textens fingeravtryck (SHA-256):',
    '',
    `*${input.sha256}*`,
  ].join('\n');
}

const listInSwedish = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} och ${items.at(-1)!}`);

/**
 * Whether the name BankID returns is the signatory's: every word of the name the coordinator
 * entered is among BankID's (which has all given names: "Anna Maria Svensson" is "Anna Svensson"),
 * letter case and accents on the same letters aside.
 */
export function nameMatches(signatoryName: string, bankIdName: string): boolean {
  const words = (name: string) =>
    name
      .normalize('NFC')
      .toLocaleLowerCase('sv')
      .split(/[\s-]+/)
      .filter(Boolean);
  const theirs = new Set(words(bankIdName));
  const entered = words(signatoryName);
  return entered.length > 0 && entered.every((word) => theirs.has(word));
}

/** The last four digits: all of a personal identity number anyone is shown once it is entered. */
export const lastFour = (personalNumber: string) => `••••${personalNumber.slice(-4)}`;

/**
 * A personal identity number as typed ("19800101-1234", "800101-1234", "198001011234") in
 * BankID's form, twelve digits; undefined when it cannot be one (wrong length, bad check digit).
 */
export function normalisedPersonalNumber(typed: string, today = new Date()): string | undefined {
  const digits = typed.replace(/[\s-+]/g, '');
  if (!/^\d{10}(\d{2})?$/.test(digits)) return undefined;
  let full = digits;
  if (digits.length === 10) {
    // A "+" in the typed number marks someone over a hundred; otherwise the latest century that is not in the future.
    const year = Number(digits.slice(0, 2));
    const thisYear = today.getUTCFullYear();
    let century = Math.floor(thisYear / 100) * 100;
    if (century + year > thisYear) century -= 100;
    if (typed.includes('+')) century -= 100;
    full = `${century / 100}${digits}`;
  }
  return luhnValid(full.slice(2)) ? full : undefined;
}

function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i++) {
    let digit = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return sum % 10 === 0;
}
