import type { Audience } from '../domain/email-purposes';
import { asOneLine } from '../domain/text';
import type { Sender } from '../store/promises';

// Every e-mail the engine sends, in Swedish, as plain text with an HTML twin built from the same
// paragraphs. Dates are shown in Europe/Stockholm. A template writes the message; the outbox adds
// the footer (why the recipient gets it and whom to ask, in Swedish and English) when it sends.

/** A paragraph, or a list with the sentence that introduces it ("Signerat av:"). */
export type Block = string | { intro: string; items: string[] };

/** What a template writes: the subject, the paragraphs and the links (the first is the one to act on). */
export interface ComposedEmail {
  subject: string;
  paragraphs: Block[];
  links: { label: string; url: string }[];
  attachments?: { filename: string; content: string; contentType: string }[];
}

/** A line of the footer, in the language it is written in. */
export interface FooterLine {
  text: string;
  lang: 'sv' | 'en';
}

/** The e-mail as sent: text and HTML. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  attachments?: ComposedEmail['attachments'];
}

const dateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'long' });
export const formatDate = (date: Date) => dateFormat.format(date);

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function compose(subjectText: string, paragraphs: Block[], ...links: { label: string; url: string }[]): ComposedEmail {
  // Names and commitment texts stored before today's text rules may hold line breaks or bidi controls.
  return { subject: asOneLine(subjectText), paragraphs, links };
}

/** Why the recipient gets an e-mail about a promise and whom to ask, Swedish first, then English. */
export function footerOf(audience: Audience, sender: Sender | undefined, publicBaseUrl: string): FooterLine[] {
  const automatic = { text: 'Det här är ett automatiskt meddelande från tjänsten Medborgarlöften.', lang: 'sv' } as const;
  const privacy = [
    { text: `Så hanterar vi personuppgifter, och dina rättigheter: ${publicBaseUrl}/integritet`, lang: 'sv' as const },
    { text: `How we handle personal data, and your rights: ${publicBaseUrl}/integritet`, lang: 'en' as const },
  ];
  if (!sender) return [automatic, ...privacy];
  const title = asOneLine(sender.promiseTitle);
  const { coordinator, organisation } = sender;
  const why = {
    SIGNATORY: [
      `du står som undertecknare av medborgarlöftet "${title}"`,
      `you are named as a signatory of the citizens' promise "${title}"`,
    ],
    CONTACT: [
      `du står som kontaktperson för en aktivitet i medborgarlöftet "${title}"`,
      `you are named as the contact for an activity of the citizens' promise "${title}"`,
    ],
    COORDINATOR: [`du är samordnare för medborgarlöftet "${title}"`, `you coordinate the citizens' promise "${title}"`],
  }[audience];
  const reach = [coordinator.email, coordinator.phone && `telefon ${coordinator.phone}`].filter(Boolean).join(', ');
  const who = `${asOneLine(coordinator.name)}, samordnare${organisation ? ` för ${organisation}` : ''}`;
  const ask = audience === 'COORDINATOR' ? [] : [`Frågor? Svara på det här meddelandet, så når du ${who} (${reach}).`];
  const askEn = audience === 'COORDINATOR' ? '' : ` Questions? Reply to reach the coordinator, ${asOneLine(coordinator.name)}.`;
  return [
    ...[`Du får det här meddelandet eftersom ${why[0]}.`, ...ask].map((text) => ({ text, lang: 'sv' as const })),
    automatic,
    privacy[0]!,
    { text: `In English: you receive this because ${why[1]}.${askEn}`, lang: 'en' },
    privacy[1]!,
  ];
}

const blockText = (block: Block) =>
  typeof block === 'string' ? block : [block.intro, ...block.items.map((item) => `• ${item}`)].join('\n');
const blockHtml = (block: Block) =>
  typeof block === 'string'
    ? `<p>${escapeHtml(block)}</p>`
    : `<p>${escapeHtml(block.intro)}</p>\n<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;

/** The e-mail as text and as a valid HTML document in `lang`, the footer's English line marked as English. */
export function renderEmail(email: ComposedEmail, footer: FooterLine[], lang: 'sv' | 'en' = 'sv'): RenderedEmail {
  const { subject, paragraphs, links, attachments } = email;
  const text = [
    ...paragraphs.map(blockText),
    ...links.map((link) => `${link.label}: ${link.url}`),
    '--',
    ...footer.map((line) => line.text),
  ].join('\n\n');
  const html = [
    `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(subject)}</title>\n</head>\n<body>`,
    ...paragraphs.map(blockHtml),
    ...links.map((link) => `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`),
    '<hr>',
    ...footer.map((line) => `<p${line.lang === lang ? '' : ` lang="${line.lang}"`}><small>${escapeHtml(line.text)}</small></p>`),
    '</body>\n</html>',
  ].join('\n');
  return { subject, text, html, ...(attachments ? { attachments } : {}) };
}

interface SigningContext {
  signatoryName: string;
  promiseTitle: string;
  municipality: string;
  versionNumber: number;
  documentSha256: string;
  deadline: Date;
  link: string;
  /** The version this round's text replaced, when the text was changed during signing. */
  revisedFrom?: number;
}

const signLink = (url: string) => ({ label: 'Läs och signera här', url });
const documentLine = (c: SigningContext) =>
  `Du signerar version ${c.versionNumber} av texten, med kontrollsumman (SHA-256) ${c.documentSha256}.`;
const revisionLines = (c: SigningContext) =>
  c.revisedFrom === undefined
    ? []
    : [
        `Texten har ändrats under signeringen: version ${c.versionNumber} ersätter version ${c.revisedFrom}. Signaturer på den tidigare versionen gäller inte längre, så alla ombeds signera den nya texten. Länkar till den tidigare versionen fungerar inte längre.`,
      ];
const versionTag = (c: SigningContext) => (c.revisedFrom === undefined ? '' : ` (ny version ${c.versionNumber})`);

export const emails = {
  signingRequest: (c: SigningContext & { resent?: boolean }) =>
    compose(
      `Signera medborgarlöftet${versionTag(c)}: ${c.promiseTitle}`,
      [
        `Hej ${c.signatoryName},`,
        `Medborgarlöftet "${c.promiseTitle}" i ${c.municipality} är klart för signering, och du står som en av dem som skriver under.`,
        ...(c.resent ? ['Samordnaren har rättat din e-postadress, så här kommer begäran igen.'] : []),
        ...revisionLines(c),
        documentLine(c),
        `Länken är personlig. Signera eller avböj senast ${formatDate(c.deadline)}.`,
      ],
      signLink(c.link),
    ),

  signingReminder: (c: SigningContext & { sequence: number }) =>
    compose(
      `Påminnelse ${c.sequence}: signera medborgarlöftet ${c.promiseTitle}`,
      [
        `Hej ${c.signatoryName},`,
        `Vi har ännu inte fått din signatur på medborgarlöftet "${c.promiseTitle}" i ${c.municipality}.`,
        ...revisionLines(c),
        documentLine(c),
        `Sista dag att signera är ${formatDate(c.deadline)}. Länken nedan är ny; tidigare länkar fungerar också.`,
      ],
      signLink(c.link),
    ),

  deadlineMoved: (c: SigningContext) =>
    compose(
      `Ny sista dag: signera medborgarlöftet ${c.promiseTitle} senast ${formatDate(c.deadline)}`,
      [
        `Hej ${c.signatoryName},`,
        `Samordnaren har flyttat sista dagen att signera medborgarlöftet "${c.promiseTitle}" i ${c.municipality}. Du kan nu signera eller avböja till och med ${formatDate(c.deadline)}.`,
        ...revisionLines(c),
        documentLine(c),
        'Länken nedan är ny; tidigare länkar fungerar också, till den nya sista dagen.',
      ],
      signLink(c.link),
    ),

  deadlineWarning: (c: SigningContext) =>
    compose(
      `Snart för sent: signera medborgarlöftet ${c.promiseTitle} senast ${formatDate(c.deadline)}`,
      [
        `Hej ${c.signatoryName},`,
        `Signeringen av medborgarlöftet "${c.promiseTitle}" stänger ${formatDate(c.deadline)}. Om alla inte har signerat då går löftet tillbaka till utkast.`,
        ...revisionLines(c),
        documentLine(c),
      ],
      signLink(c.link),
    ),

  escalation: (c: { promiseTitle: string; pending: string[]; deadline: Date }) =>
    compose(`Signaturer saknas: ${c.promiseTitle}`, [
      { intro: `Följande har ännu inte signerat medborgarlöftet "${c.promiseTitle}", trots påminnelser:`, items: c.pending },
      `Signeringen stänger ${formatDate(c.deadline)}. Ta gärna kontakt direkt.`,
    ]),

  declined: (c: { promiseTitle: string; signatoryName: string; reason: string }) =>
    compose(`Avböjt: ${c.promiseTitle}`, [
      `${c.signatoryName} har avböjt att signera medborgarlöftet "${c.promiseTitle}".`,
      `Skäl: ${c.reason}`,
      'Löftet är tillbaka som utkast. Ändra texten vid behov och skicka det för signering igen.',
    ]),

  undeliverable: (c: {
    promiseTitle: string;
    promiseId: string;
    promisePage: string;
    address: string;
    who: string;
    relay: string;
    effect: string;
  }) =>
    compose(
      `E-post kom inte fram: ${c.promiseTitle}`,
      [
        `E-post till ${c.who} i medborgarlöftet "${c.promiseTitle}" kom inte fram. E-postservern avvisade adressen ${c.address} med svaret:`,
        c.relay,
        c.effect,
        `Rätta adressen på löftets sida (länken nedan), så skickas det igen. Från ett annat system: POST /api/promises/${c.promiseId}/address-corrections med {"previous": "${c.address}", "email": "<rätt adress>"}. Du får bara det här beskedet en gång för adressen.`,
      ],
      { label: 'Till löftets sida', url: c.promisePage },
    ),

  roundStopped: (c: { recipientName: string; promiseTitle: string; declinedBy: string; hadSigned: boolean }) =>
    compose(`Signeringen avbröts: ${c.promiseTitle}`, [
      `Hej ${c.recipientName},`,
      `${c.declinedBy} har avböjt att signera medborgarlöftet "${c.promiseTitle}", så signeringsomgången är avbruten och löftet är tillbaka hos samordnaren som utkast.`,
      c.hadSigned
        ? 'Din signatur gällde den här omgången. Skickas löftet för signering igen får du en ny länk och signerar på nytt.'
        : 'Du behöver inte göra något nu. Skickas löftet för signering igen får du en ny länk.',
    ]),

  expired: (c: { promiseTitle: string; pending: string[] }) =>
    compose(`Signeringen löpte ut: ${c.promiseTitle}`, [
      { intro: `Tiden för att signera medborgarlöftet "${c.promiseTitle}" har gått ut. Dessa signerade inte:`, items: c.pending },
      'Löftet är tillbaka som utkast och kan skickas för signering igen.',
    ]),

  activated: (c: {
    recipientName: string;
    promiseTitle: string;
    signatories: string[];
    documentSha256: string;
    publicPage: string;
    signedPdf: string;
  }) =>
    compose(
      `Medborgarlöftet är signerat: ${c.promiseTitle}`,
      [
        `Hej ${c.recipientName},`,
        `Alla har nu signerat medborgarlöftet "${c.promiseTitle}", och det gäller från och med nu.`,
        { intro: 'Signerat av:', items: c.signatories },
        `Den signerade texten har kontrollsumman (SHA-256) ${c.documentSha256}.`,
      ],
      { label: 'Löftet på den öppna sidan', url: c.publicPage },
      { label: 'Den signerade texten (PDF)', url: c.signedPdf },
    ),

  activityReminder: (c: {
    recipientName: string;
    commitmentText: string;
    promiseTitle: string;
    dueDate: string;
    kind: 'BEFORE' | 'DUE' | 'OVERDUE';
    sequence: number;
    progressReport: boolean;
    link: string;
    /** The contact's own calendar of the promise's activities, to subscribe to. */
    calendarLink: string;
  }) => {
    const what = c.progressReport ? 'Lägesrapport' : 'Aktivitet';
    const subject =
      c.kind === 'BEFORE'
        ? `${what} snart: ${c.commitmentText}`
        : c.kind === 'DUE'
          ? `${what} i dag: ${c.commitmentText}`
          : `Försenad ${what.toLowerCase()} (påminnelse ${c.sequence}): ${c.commitmentText}`;
    return compose(
      subject,
      [
        `Hej ${c.recipientName},`,
        `Inom medborgarlöftet "${c.promiseTitle}" ${c.kind === 'OVERDUE' ? 'var' : 'är'} detta planerat till ${c.dueDate}:`,
        c.commitmentText,
        c.progressReport
          ? 'Berätta kort hur arbetet går. Det visas för medborgarna som följer löftet.'
          : 'Rapportera när det är gjort – eller om det ställs in eller flyttas, med skäl.',
        'Påminnelser kommer kl. 08.00 på arbetsdagar; en som skulle komma en lördag, söndag eller helgdag kommer arbetsdagen före.',
      ],
      { label: 'Rapportera här', url: c.link },
      { label: 'Dina aktiviteter i din kalender (prenumerera)', url: c.calendarLink },
    );
  },

  activityEscalation: (c: { promiseTitle: string; commitmentText: string; dueDate: string; responsible: string }) =>
    compose(`Försenad aktivitet: ${c.commitmentText}`, [
      `En aktivitet i medborgarlöftet "${c.promiseTitle}" är försenad och ingen har rapporterat den trots påminnelser:`,
      c.commitmentText,
      `Planerad till ${c.dueDate}. Ansvariga kontakter: ${c.responsible}.`,
      'Du kan rapportera åt den ansvarige via API:t.',
    ]),

  dateToBeSet: (c: {
    recipientName: string;
    promiseTitle: string;
    commitmentText: string;
    /** When the date is to be set, in the document's words; absent in content that does not say. */
    when?: string;
    sequence: number;
    /** The last request: no more will come; the start page keeps showing it. */
    last: boolean;
    interval: string;
    link: string;
  }) =>
    compose(
      `${c.last ? 'Sista påminnelsen: ' : c.sequence > 0 ? `Påminnelse ${c.sequence}: ` : ''}Bestäm datum: ${c.commitmentText}`,
      [
        `Hej ${c.recipientName},`,
        `I medborgarlöftet "${c.promiseTitle}" har den här aktiviteten inget datum än:`,
        c.commitmentText,
        ...(c.when ? [`Enligt löftet bestäms datumet ${c.when}.`] : []),
        c.last
          ? 'Sätt datumet när det är bestämt. Det här är den sista påminnelsen: fler e-postmeddelanden kommer inte, men löftet visar "datum att bestämma" på din startsida tills datumet är satt.'
          : `Sätt datumet när det är bestämt. Då får de ansvariga påminnelser inför det, som för andra aktiviteter. Tills datumet är satt påminns du igen efter ${c.interval}.`,
      ],
      { label: 'Sätt datumet här', url: c.link },
    ),

  followUpDue: (c: { promiseTitle: string; start: string; end: string; final: boolean; sequence: number }) =>
    compose(`${c.sequence > 0 ? `Påminnelse ${c.sequence}: ` : ''}Uppföljning att publicera: ${c.promiseTitle}`, [
      `${c.final ? 'Medborgarlöftets period är slut' : 'Ett uppföljningsår är slut'} (${c.start} – ${c.end}). Ett utkast till uppföljning är framtaget ur det som rapporterats: planerat mot genomfört per löfte, med inställda aktiviteter och skälen.`,
      'Komplettera med trygghetsmätning, brottsstatistik och en sammanfattning, och publicera den.',
      c.final ? 'När den publiceras avslutas löftet.' : 'Löftet fortsätter gälla.',
    ]),

  /** `carriedOver`: the texts of the commitments with cancelled or unfinished work. */
  renewalCreated: (c: { promiseTitle: string; renewalTitle: string; carriedOver: string[] }) =>
    compose(`Förnyelse påbörjad: ${c.renewalTitle}`, [
      `Ett utkast till nästa period av "${c.promiseTitle}" är skapat: "${c.renewalTitle}".`,
      c.carriedOver.length > 0
        ? `Dessa löften hade inställt eller ej genomfört arbete och är markerade för att föras över:\n${c.carriedOver.map((text) => `• ${text}`).join('\n')}`
        : 'Alla aktiviteter rapporterades som genomförda.',
      'Gå igenom texten och skicka den för signering.',
    ]),

  withdrawn: (c: { recipientName: string; promiseTitle: string; reason: string }) =>
    compose(`Återkallat: ${c.promiseTitle}`, [
      `Hej ${c.recipientName},`,
      `Medborgarlöftet "${c.promiseTitle}" har återkallats av samordnaren.`,
      `Skäl: ${c.reason}`,
      'Tidigare länkar för signering fungerar inte längre.',
    ]),

  webhookDisabled: (c: { recipientName: string; organisation: string; description: string; url: string; reason: string; link: string }) =>
    compose(
      `Webhook-mottagare avstängd: ${c.description}`,
      [
        `Hej ${c.recipientName},`,
        `Webhook-mottagaren "${c.description}" för ${c.organisation} (${c.url}) är avstängd. ${c.reason}`,
        'Händelser som inträffar medan den är avstängd skickas inte dit. De leveranser som misslyckades finns kvar och kan skickas igen när mottagaren fungerar: sätt på den och skicka om dem i webbappen.',
      ],
      { label: 'Se mottagaren och dess leveranser', url: c.link },
    ),
};
