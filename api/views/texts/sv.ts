import { STATUS_LABELS_SV } from '../../../domain/lifecycle';

// Every text of the coordinator's pages in Swedish; en.ts has the same keys in English.

export const sv = {
  lang: 'sv' as 'sv' | 'en',
  site: 'Medborgarlöften',
  skipToContent: 'Hoppa till innehållet',
  otherLanguage: { lang: 'en', label: 'In English' },
  signOut: 'Logga ut',
  signedInAs: (name: string) => `Inloggad som ${name}`,
  problemsIntro: 'Formuläret behöver rättas:',
  signIn: {
    title: 'Logga in',
    intro: (validFor: string) =>
      `Skriv din e-postadress, så skickar vi en länk som loggar in dig. Länken fungerar en gång och i ${validFor}.`,
    email: 'E-postadress',
    submit: 'Skicka inloggningslänken',
    sentTitle: 'Titta i din e-post',
    sent: (email: string) =>
      `Om ${email} hör till en samordnare har vi skickat en inloggningslänk dit. Den fungerar en gång. Kommer inget, kontrollera adressen eller fråga den som bjöd in dig.`,
    sendFailed: 'Länken kunde inte skickas just nu. Försök igen om en stund.',
    confirmTitle: 'Logga in',
    confirm: (name: string) => `Du loggar in som ${name}.`,
    confirmButton: 'Logga in',
    usedTitle: 'Länken är redan använd',
    used: 'En inloggningslänk fungerar en gång. Be om en ny länk.',
    expiredTitle: 'Länken har gått ut',
    expired: 'Inloggningslänken fungerar bara en kort tid. Be om en ny länk.',
    unknownTitle: 'Okänd länk',
    unknown: 'Länken känns inte igen. Kontrollera att hela länken kom med, eller be om en ny.',
    newLink: 'Be om en ny länk',
    endedTitle: 'Du är utloggad',
    ended: 'Logga in igen för att fortsätta.',
  },
  dashboard: {
    title: 'Mina medborgarlöften',
    empty: 'Du har inga medborgarlöften än.',
    caption: 'Dina medborgarlöften, de nyaste först',
    columns: { title: 'Löfte', municipality: 'Kommun', period: 'Period', status: 'Status' },
    status: STATUS_LABELS_SV,
    attention: (reason: string) => `Behöver åtgärdas: ${reason}`,
  },
  apiKeys: {
    nav: 'API-nycklar',
    title: 'API-nycklar',
    intro:
      'En API-nyckel låter ett annat system använda API:t i ditt namn (Authorization: Bearer …). Skapa en per system, så kan du återkalla just den.',
    label: 'Vad nyckeln är till',
    labelHint: 't.ex. "Kommunens ärendesystem"',
    create: 'Skapa nyckel',
    createdTitle: 'Nyckeln är skapad',
    created: 'Kopiera nyckeln nu. Den visas bara den här gången; vi sparar bara ett fingeravtryck av den.',
    none: 'Du har inga API-nycklar.',
    caption: 'Dina API-nycklar',
    columns: { label: 'Till', created: 'Skapad', state: 'Läge' },
    active: 'Gäller',
    revoked: (at: string) => `Återkallad ${at}`,
    revoke: (label: string) => `Återkalla ${label}`,
    revokedNotice: (label: string) => `Nyckeln "${label}" är återkallad och fungerar inte längre.`,
    unknown: 'Nyckeln finns inte bland dina, eller är redan återkallad.',
  },
  email: {
    signInSubject: 'Din inloggningslänk till Medborgarlöften',
    signIn: (name: string, validFor: string) => [
      `Hej ${name},`,
      `Någon (förhoppningsvis du) bad om att logga in på Medborgarlöften med den här adressen. Länken fungerar en gång och i ${validFor}.`,
      'Bad du inte om den kan du bortse från meddelandet; ingen kommer in utan länken.',
    ],
    signInLink: 'Logga in',
    inviteSubject: 'Du är inbjuden som samordnare i Medborgarlöften',
    invite: (name: string, validFor: string) => [
      `Hej ${name},`,
      'Du är inbjuden som samordnare i Medborgarlöften, där medborgarlöften skrivs, signeras och följs upp under året.',
      `Länken nedan loggar in dig. Den fungerar en gång och i ${validFor}; sedan loggar du in med din e-postadress på inloggningssidan.`,
    ],
  },
};

export type Texts = typeof sv;
