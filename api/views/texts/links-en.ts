import type { linksSv } from './links-sv';

// The texts of the pages behind a personal link in English, key for key as links-sv.ts.

export const linksEn: typeof linksSv = {
  askedBy: 'Who is asking',
  coordinator: (name: string, organisation?: string) =>
    organisation ? `${name}, coordinator for ${organisation}` : `${name}, coordinator`,
  email: 'E-mail',
  phone: 'Phone',
  askFirst: 'Questions, or do you not recognise this? Contact the coordinator before you answer.',
  notices: {
    unknown: ['Unknown link', 'The link is not recognised. Check that the whole link came along from the e-mail.'],
    signExpired: ['The link has expired', 'The link is no longer valid. Use the link in your latest e-mail, or contact the coordinator.'],
    superseded: [
      'The text has changed',
      'The text has changed since you got this link, so it can no longer be signed. A new request with the new text comes by e-mail (its subject begins "Signera medborgarlöftet (ny version"); use the link in it.',
    ],
    completed: ['Signing is complete', 'Everyone has signed and the promise is in force. The link is no longer needed.'],
    declined: [
      'Signing was stopped',
      'A party declined, so the promise is back with the coordinator as a draft. If it is sent again, you get a new link.',
    ],
    expired: [
      'The time for signing ran out',
      'Not everyone signed in time, so the promise is back with the coordinator as a draft. If it is sent again, you get a new link.',
    ],
    withdrawn: ['The promise was withdrawn', 'The coordinator has withdrawn the promise. Nothing more is needed from you.'],
    alreadyAnswered: ['Already answered', 'You have already given your answer. It is not possible to sign twice.'],
    reportExpired: ['The link has expired', 'The link is no longer valid. Contact the coordinator if you need to report something.'],
    reportWithdrawn: ['The promise was withdrawn', 'The coordinator has withdrawn the promise, so no more reports are needed.'],
    reportClosed: [
      'The promise has ended',
      'The period of the promise has ended and been followed up. Contact the coordinator if something needs correcting.',
    ],
  },
  withdrawnBecause: (reason: string) => `Reason: ${reason}`,
  publicPage: 'See the promise and what has been done',
  voidedTitle: 'Your signature is no longer valid',
  voidedWithdrawn: (signedOn: string) =>
    `You signed on ${signedOn}, but the coordinator has withdrawn the promise. Nothing more is needed from you.`,
  voidedRevised: (signedVersion: number, signedOn: string, now: number) =>
    `You signed version ${signedVersion} on ${signedOn}. The text has changed since then and is now version ${now}, so the signature is no longer valid.`,
  voidedNewRequest: (now: number) =>
    `A new request to sign the new text has been sent to you by e-mail; use the link in it (its subject begins "Signera medborgarlöftet (ny version ${now})").`,
  voidedWaiting: 'The coordinator will send a new request when the text is ready.',
  signing: {
    title: 'Sign the citizens’ promise',
    greeting: (name: string, title: string, party: string) => `Hello ${name}, ${title} for ${party}.`,
    intro: (coordinator: string, promise: string, municipality: string) =>
      `${coordinator} asks you to sign the citizens’ promise (medborgarlöfte) "${promise}" in ${municipality}. Read the text below. You sign in two steps: first you read, then you confirm with your name.`,
    deadline: (date: string) => `Answer by ${date}.`,
    partiesTitle: 'Parties and signatures',
    partiesCaption: 'Who signs, and who has signed so far',
    columns: { name: 'Name', title: 'Role', party: 'Party', state: 'State' },
    you: 'You',
    signedOn: (date: string) => `Signed ${date}`,
    waiting: 'Not signed yet',
    fingerprintTitle: 'What you sign',
    fingerprint: (version: number) =>
      `You sign version ${version} of the text. The text has a fingerprint, a checksum (SHA-256) computed from exactly this text. Change a single character and the fingerprint is different. Your signature is stored with the fingerprint, so it can always be shown which text you signed.`,
    fingerprintLabel: 'Fingerprint (SHA-256)',
    verify: 'Check a text or a PDF against the fingerprint',
    exactText: 'Show the text exactly as the fingerprint is computed (for checking)',
    textTitle: 'The text',
    next: 'I have read the text – continue to signing',
    declineTitle: 'Do you not want to sign?',
    declineIntro:
      'If you decline, signing stops for everyone and the promise goes back to the coordinator. Say why, so the coordinator knows what needs to change.',
    reason: 'Reason for declining',
    reasonMissing: 'say why you decline',
    decline: 'Decline to sign',
    confirmTitle: 'Confirm your signature',
    confirmAs: 'You sign as',
    confirmWhat: (version: number, promise: string) => `Version ${version} of the citizens’ promise "${promise}", with the fingerprint`,
    confirmNote:
      'When you press the button, the promise is signed by you. It cannot be undone; if the text needs to change, the coordinator sends a new version.',
    confirm: (name: string) => `Sign as ${name}`,
    back: 'Back to the text',
    signedTitle: 'Thank you for signing',
    signed: (version: number, promise: string) => `You have signed version ${version} of "${promise}".`,
    declinedTitle: 'Your answer is recorded',
    declined: 'You have declined. The coordinator has your reason.',
    decidedSigned: 'You have signed',
    decidedDeclined: 'You have declined',
    decidedOn: (name: string, date: string) => `The answer from ${name} was recorded on ${date}.`,
    whenAllSigned: 'When everyone has signed, the promise is in force and you get a message by e-mail.',
  },

  report: {
    title: 'Report the activity',
    progressTitle: 'Progress report',
    from: (promise: string) => `From the citizens’ promise "${promise}".`,
    planned: (date: string) => `Planned for ${date}.`,
    progressUntil: (date: string) => `The report covers the time up to ${date}.`,
    undated: 'The date is not set yet. Set it when it is decided, and those responsible get reminders before it.',
    soFar: 'Reported so far',
    reportedOn: (date: string) => `reported ${date}`,
    yours: 'your report',
    correction: 'correction',
    closed: 'The activity is already reported. If something in your report is wrong, correct it below; the earlier one is kept.',
    formTitle: 'Your report',
    send: 'Send the report',
    notYours: 'only a report you sent from this link can be corrected here',
    thanksTitle: 'Thank you for the report',
    moved: (date: string) => `The activity is moved to ${date}. Those responsible get reminders before the date.`,
    dated: (date: string) => `The activity is planned for ${date}. Those responsible get reminders before the date.`,
    recorded: (kind: string) => `The report "${kind}" is recorded. No more reminders are sent for this activity.`,
    correctLater: 'If something is wrong, you can correct the report from the same link.',
    back: 'Back to the report page',
  },
};
