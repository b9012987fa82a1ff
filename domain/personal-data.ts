// Every place the product keeps personal data, why, for how long and what happens after: the one
// inventory that the README's table is made from (test/personal-data.test.ts holds them together,
// and holds every field of the database that could name a person to an entry here or to a reason
// it does not). The signed promise is a public record (allmän handling): the names and titles as
// signed are kept under the authority's archive rules; everything else goes when it is no longer
// needed.

import { DEFAULT_RETENTION } from './retention';

type Words = { sv: string; en: string };

/** Why the product may keep it (GDPR art. 6), as a data protection officer reads it. */
export const LEGAL_BASES = {
  PUBLIC_TASK: {
    sv: 'Uppgift av allmänt intresse (art. 6.1 e): kommunens och polisens brottsförebyggande samverkan',
    en: 'Task in the public interest (Art. 6(1)(e)): the municipality’s and police’s crime prevention work',
  },
  ARCHIVE: {
    sv: 'Allmän handling som arkivlagen och myndighetens gallringsbeslut styr',
    en: 'Public record, kept as the Archives Act and the authority’s disposal rules say',
  },
  SECURITY: {
    sv: 'Uppgift av allmänt intresse (art. 6.1 e): att hålla tjänsten säker, visa vem som signerade och upptäcka missbruk',
    en: 'Task in the public interest (Art. 6(1)(e)): keeping the service secure, showing who signed, detecting misuse',
  },
} as const satisfies Record<string, Words>;
export type LegalBasis = keyof typeof LEGAL_BASES;

export interface PersonalDatum {
  /** Where: a table and column of the database, or a store outside it. */
  table: string;
  field: string;
  what: Words;
  basis: LegalBasis;
  keptFor: Words;
  after: Words;
}

/** A BankID signatory's lock to one person: only until the round no longer needs it. */
const PIN: Pick<PersonalDatum, 'basis' | 'keptFor' | 'after'> = {
  basis: 'SECURITY',
  keptFor: {
    sv: 'Tills signeringsomgången är klar, löftet återkallas eller personen begär radering',
    en: 'Until the signing round is complete, the promise is withdrawn or the person asks for erasure',
  },
  after: { sv: 'Raderas', en: 'Deleted' },
};

const RECORD: Pick<PersonalDatum, 'basis' | 'keptFor' | 'after'> = {
  basis: 'ARCHIVE',
  keptFor: { sv: 'Som del av det signerade löftet', en: 'As part of the signed promise' },
  after: { sv: 'Gallras enligt myndighetens arkivregler', en: 'Disposed of under the authority’s archive rules' },
};
const { technicalDays, relayAnswerDays, addressMonths } = DEFAULT_RETENTION;
const ADDRESS: Pick<PersonalDatum, 'basis' | 'keptFor' | 'after'> = {
  basis: 'PUBLIC_TASK',
  keptFor: {
    sv: `${addressMonths} månader efter löftets period, eller kortare om organisationen valt det, eller tills personen begär radering`,
    en: `${addressMonths} months after the promise’s period, or less if the organisation chose so, or until the person asks for erasure`,
  },
  after: { sv: 'Ersätts av en pseudonym; ingen e-post går dit', en: 'Replaced by a pseudonym; no e-mail goes to it' },
};
const TECHNICAL: Pick<PersonalDatum, 'basis' | 'keptFor' | 'after'> = {
  basis: 'SECURITY',
  keptFor: {
    sv: `${technicalDays} dagar, eller kortare om organisationen valt det`,
    en: `${technicalDays} days, or less if the organisation chose so`,
  },
  after: { sv: 'Raderas', en: 'Deleted' },
};
const ACCOUNT: Pick<PersonalDatum, 'basis' | 'keptFor' | 'after'> = {
  basis: 'PUBLIC_TASK',
  keptFor: { sv: 'Så länge personen är samordnare', en: 'While the person is a coordinator' },
  after: { sv: 'Raderas med kontot', en: 'Deleted with the account' },
};

export const PERSONAL_DATA: readonly PersonalDatum[] = [
  { table: 'Coordinator', field: 'name', what: { sv: 'Samordnarens namn', en: 'The coordinator’s name' }, ...ACCOUNT },
  { table: 'Coordinator', field: 'email', what: { sv: 'Samordnarens e-postadress', en: 'The coordinator’s e-mail address' }, ...ACCOUNT },
  {
    table: 'Coordinator',
    field: 'phone',
    what: { sv: 'Samordnarens telefonnummer, visat för undertecknare', en: 'The coordinator’s phone number, shown to signatories' },
    ...ACCOUNT,
  },
  {
    table: 'OrganisationMember',
    field: 'invitedById',
    what: { sv: 'Vem som bjöd in en samordnare (ett id)', en: 'Who invited a coordinator (an id)' },
    basis: 'PUBLIC_TASK',
    keptFor: { sv: 'Så länge medlemskapet finns', en: 'While the membership lasts' },
    after: { sv: 'Raderas med medlemskapet', en: 'Deleted with the membership' },
  },
  {
    table: 'SignInLink',
    field: 'coordinatorId',
    what: { sv: 'En inloggningslänk (bara nyckelns SHA-256)', en: 'A sign-in link (only its key’s SHA-256)' },
    basis: 'SECURITY',
    keptFor: { sv: 'Tills länken gått ut', en: 'Until the link has expired' },
    after: { sv: 'Raderas', en: 'Deleted' },
  },
  {
    table: 'CoordinatorSession',
    field: 'coordinatorId',
    what: { sv: 'En inloggad webbläsare (bara kakans SHA-256)', en: 'A signed-in browser (only its cookie’s SHA-256)' },
    basis: 'SECURITY',
    keptFor: { sv: 'Tills sessionen slutat', en: 'Until the session has ended' },
    after: { sv: 'Raderas', en: 'Deleted' },
  },
  {
    table: 'Signatory',
    field: 'name',
    what: { sv: 'Undertecknarens namn, som signerat', en: 'The signatory’s name, as signed' },
    ...RECORD,
  },
  {
    table: 'Signatory',
    field: 'title',
    what: { sv: 'Undertecknarens titel, som signerad', en: 'The signatory’s title, as signed' },
    ...RECORD,
  },
  { table: 'Signatory', field: 'email', what: { sv: 'Undertecknarens e-postadress', en: 'The signatory’s e-mail address' }, ...ADDRESS },
  {
    table: 'CommitmentContact',
    field: 'name',
    what: { sv: 'Kontaktpersonens namn, i löftets text', en: 'The contact’s name, in the promise’s text' },
    ...RECORD,
  },
  {
    table: 'CommitmentContact',
    field: 'title',
    what: { sv: 'Kontaktpersonens titel, i löftets text', en: 'The contact’s title, in the promise’s text' },
    ...RECORD,
  },
  {
    table: 'CommitmentContact',
    field: 'email',
    what: { sv: 'Kontaktpersonens e-postadress', en: 'The contact’s e-mail address' },
    ...ADDRESS,
  },
  {
    table: 'DocumentVersion',
    field: 'content',
    what: {
      sv: 'Löftets innehåll: undertecknarnas och kontaktpersonernas namn, titlar och e-postadresser',
      en: 'The promise’s content: signatories’ and contacts’ names, titles and e-mail addresses',
    },
    basis: 'ARCHIVE',
    keptFor: {
      sv: `Namn och titlar som del av löftet; adresserna ${addressMonths} månader efter perioden`,
      en: `Names and titles with the promise; addresses ${addressMonths} months after the period`,
    },
    after: { sv: 'Adresserna ersätts av pseudonymer', en: 'The addresses are replaced by pseudonyms' },
  },
  {
    table: 'DocumentVersion',
    field: 'createdBy',
    what: { sv: 'Vem som skrev versionen (ett id)', en: 'Who wrote the version (an id)' },
    ...RECORD,
  },
  {
    table: 'Signature',
    field: 'reason',
    what: { sv: 'Skälet en undertecknare gav för att avböja', en: 'The reason a signatory gave for declining' },
    ...RECORD,
  },
  {
    table: 'Signature',
    field: 'ipAddress',
    what: { sv: 'IP-adressen som signaturen kom från', en: 'The IP address a signature came from' },
    ...TECHNICAL,
  },
  {
    table: 'Signature',
    field: 'userAgent',
    what: { sv: 'Webbläsaren som signaturen kom från', en: 'The browser a signature came from' },
    ...TECHNICAL,
  },
  {
    table: 'ActivityReport',
    field: 'reportedBy',
    what: { sv: 'Vem som rapporterade (ett id)', en: 'Who reported (an id)' },
    ...RECORD,
  },
  {
    table: 'EmailOutbox',
    field: 'recipient',
    what: { sv: 'Mottagarens e-postadress', en: 'The recipient’s e-mail address' },
    ...ADDRESS,
  },
  {
    table: 'EmailOutbox',
    field: 'lastError',
    what: { sv: 'Reläets svar, som kan nämna adressen', en: 'The relay’s answer, which may name the address' },
    basis: 'PUBLIC_TASK',
    keptFor: { sv: `${relayAnswerDays} dagar efter sista försöket`, en: `${relayAnswerDays} days after the last attempt` },
    after: { sv: 'Raderas; utfallet står kvar', en: 'Deleted; the outcome stays' },
  },
  {
    table: 'BounceNotice',
    field: 'diagnostic',
    what: {
      sv: 'Mottagarserverns ord i en leveransrapport, som kan nämna adressen',
      en: 'The receiving server’s words in a delivery status notification, which may name the address',
    },
    basis: 'PUBLIC_TASK',
    keptFor: { sv: `${relayAnswerDays} dagar efter att rapporten kom`, en: `${relayAnswerDays} days after the report came` },
    after: { sv: 'Raderas; utfallet står kvar', en: 'Deleted; the outcome stays' },
  },
  {
    table: 'AuditOrigin',
    field: 'ipAddress',
    what: { sv: 'IP-adressen bakom en händelse i granskningsloggen', en: 'The IP address behind an event of the audit log' },
    ...TECHNICAL,
  },
  {
    table: 'AuditOrigin',
    field: 'userAgent',
    what: { sv: 'Webbläsaren bakom en händelse i granskningsloggen', en: 'The browser behind an event of the audit log' },
    ...TECHNICAL,
  },
  {
    table: 'RateLimitWindow',
    field: 'key',
    what: {
      sv: 'IP-adressen bakom anrop mot en anropsgräns, som nyckelhash (HMAC)',
      en: 'The IP address behind requests counted against a rate limit, as a keyed hash (HMAC)',
    },
    basis: 'SECURITY',
    keptFor: { sv: 'Högst tre minuter', en: 'At most three minutes' },
    after: { sv: 'Raderas', en: 'Deleted' },
  },
  {
    table: 'AuditEvent',
    field: 'actor',
    what: {
      sv: 'Vem som gjorde något: ett id för en samordnare, undertecknare eller adress, aldrig en adress',
      en: 'Who did something: the id of a coordinator, signatory or address, never an address',
    },
    ...RECORD,
  },
  {
    table: 'AuditEvent',
    field: 'details',
    what: {
      sv: 'Vad som hände; adresser bara som id, ett skäl med den som gav det',
      en: 'What happened; addresses only as ids, a reason as its giver wrote it',
    },
    ...RECORD,
  },
  {
    table: 'EmailAddress',
    field: 'address',
    what: {
      sv: 'E-postadressen bakom ett id i granskningsloggen',
      en: 'The e-mail address behind an id in the audit log',
    },
    basis: 'PUBLIC_TASK',
    keptFor: { sv: 'Så länge någon annan tabell har adressen', en: 'While another table keeps the address' },
    after: { sv: 'Raderas; id:t leder ingenstans', en: 'Deleted; the id leads nowhere' },
  },
  {
    table: 'PersonalNumberPin',
    field: 'sealed',
    what: {
      sv: 'Personnumret en undertecknare som signerar med BankID är låst till (krypterat; visas bara som fyra siffror)',
      en: 'The personal identity number a BankID signatory is locked to (encrypted; shown only as four digits)',
    },
    ...PIN,
  },
  {
    table: 'PersonalNumberPin',
    field: 'lastFour',
    what: {
      sv: 'De fyra sista siffrorna i det låsta personnumret, som samordnaren ser',
      en: 'The last four digits of the locked personal identity number, as the coordinator sees them',
    },
    ...PIN,
  },
  {
    table: 'BankIdOrder',
    field: 'completionSealed',
    what: {
      sv: 'BankID:s bevis för en underskrift: signaturen, OCSP-svaret, namn, personnummer och enhetens IP-adress (krypterat)',
      en: 'BankID’s evidence of a signature: the signature, the OCSP response, name, personal identity number and the device’s IP address (encrypted)',
    },
    ...RECORD,
  },
  {
    table: 'EmailAddress',
    field: 'erasedHash',
    what: {
      sv: 'En nyckelad hash av en raderad adress, så att ingen e-post går dit igen',
      en: 'A keyed hash of an erased address, so that no e-mail goes to it again',
    },
    basis: 'PUBLIC_TASK',
    keptFor: { sv: 'Så länge tjänsten finns', en: 'As long as the service exists' },
    after: { sv: 'Raderas med tjänsten', en: 'Deleted with the service' },
  },
  {
    table: 'Temporal',
    field: 'workflow histories',
    what: {
      sv: 'Arbetsflödenas historik: namn, adresser, IP-adresser och webbläsare i anropen, krypterade (AES-256-GCM) innan Temporal får dem',
      en: 'The workflows’ histories: names, addresses, IP addresses and browsers in the calls, encrypted (AES-256-GCM) before Temporal gets them',
    },
    basis: 'PUBLIC_TASK',
    keptFor: {
      sv: 'Medan löftet löper, sedan namnrymdens lagringstid för avslutade arbetsflöden',
      en: 'While the promise runs, then the namespace’s retention for closed workflows',
    },
    after: { sv: 'Raderas av Temporal', en: 'Deleted by Temporal' },
  },
];

/** The inventory as the README's table, in one language. */
export function inventoryTable(lang: 'sv' | 'en'): string {
  const header =
    lang === 'sv'
      ? ['Var', 'Vad', 'Varför (rättslig grund)', 'Hur länge', 'Sedan']
      : ['Where', 'What', 'Why (legal basis)', 'How long', 'After'];
  const rows = PERSONAL_DATA.map((d) => [
    `\`${d.table}.${d.field}\``,
    d.what[lang],
    LEGAL_BASES[d.basis][lang],
    d.keptFor[lang],
    d.after[lang],
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
