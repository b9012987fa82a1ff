import type { PromiseStatus } from '../../../domain/lifecycle';
import type { Texts } from './sv';

// Every text of the coordinator's pages in English, key for key as sv.ts.

const STATUS_LABELS_EN: Record<PromiseStatus, string> = {
  DRAFT: 'Draft',
  SIGNING: 'Being signed',
  ACTIVE: 'Active',
  FOLLOW_UP: 'Follow-up',
  CLOSED: 'Closed',
  WITHDRAWN: 'Withdrawn',
};

export const en: Texts = {
  lang: 'en',
  site: 'Citizen promises (medborgarlöften)',
  skipToContent: 'Skip to content',
  otherLanguage: { lang: 'sv', label: 'På svenska' },
  signOut: 'Sign out',
  signedInAs: (name) => `Signed in as ${name}`,
  problemsIntro: 'The form needs correcting:',
  signIn: {
    title: 'Sign in',
    intro: (validFor) =>
      `Enter your e-mail address and we will send you a link that signs you in. The link works once and for ${validFor}.`,
    email: 'E-mail address',
    submit: 'Send the sign-in link',
    sentTitle: 'Check your e-mail',
    sent: (email) =>
      `If ${email} belongs to a coordinator, a sign-in link is on its way there. It works once. If nothing arrives, check the address or ask whoever invited you.`,
    sendFailed: 'The link could not be sent just now. Please try again in a while.',
    confirmTitle: 'Sign in',
    confirm: (name) => `You are signing in as ${name}.`,
    confirmButton: 'Sign in',
    usedTitle: 'The link has been used',
    used: 'A sign-in link works once. Ask for a new link.',
    expiredTitle: 'The link has expired',
    expired: 'A sign-in link works only for a short while. Ask for a new link.',
    unknownTitle: 'Unknown link',
    unknown: 'The link is not recognised. Check that the whole link came along, or ask for a new one.',
    newLink: 'Ask for a new link',
    endedTitle: 'You are signed out',
    ended: 'Sign in again to carry on.',
  },
  dashboard: {
    title: 'My citizen promises',
    empty: 'You have no citizen promises yet.',
    caption: 'Your citizen promises, newest first',
    columns: { title: 'Promise', municipality: 'Municipality', period: 'Period', status: 'Status' },
    status: STATUS_LABELS_EN,
    attention: (reason) => `Needs attention: ${reason}`,
  },
  apiKeys: {
    nav: 'API keys',
    title: 'API keys',
    intro:
      'An API key lets another system use the API in your name (Authorization: Bearer …). Make one per system, so that you can revoke just that one.',
    label: 'What the key is for',
    labelHint: 'e.g. "The municipality\'s case system"',
    create: 'Create key',
    createdTitle: 'The key is created',
    created: 'Copy the key now. It is shown only this once; only a fingerprint of it is stored.',
    none: 'You have no API keys.',
    caption: 'Your API keys',
    columns: { label: 'For', created: 'Created', state: 'State' },
    active: 'Valid',
    revoked: (at) => `Revoked ${at}`,
    revoke: (label) => `Revoke ${label}`,
    revokedNotice: (label) => `The key "${label}" is revoked and no longer works.`,
    unknown: 'The key is not one of yours, or is already revoked.',
  },
  email: {
    signInSubject: 'Your sign-in link to Medborgarlöften',
    signIn: (name, validFor) => [
      `Hello ${name},`,
      `Someone (hopefully you) asked to sign in to Medborgarlöften with this address. The link works once and for ${validFor}.`,
      'If you did not ask for it, you can ignore this message; nobody gets in without the link.',
    ],
    signInLink: 'Sign in',
    inviteSubject: 'You are invited as a coordinator in Medborgarlöften',
    invite: (name, validFor) => [
      `Hello ${name},`,
      'You are invited as a coordinator in Medborgarlöften, where citizen promises are written, signed and followed through the year.',
      `The link below signs you in. It works once and for ${validFor}; after that, sign in with your e-mail address on the sign-in page.`,
    ],
  },
};
