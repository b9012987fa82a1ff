// Every e-mail the engine sends, in Swedish, as plain text with an HTML twin built from the same
// paragraphs. Dates are shown in Europe/Stockholm.

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

const dateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'long' });
export const formatDate = (date: Date) => dateFormat.format(date);

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function compose(subject: string, paragraphs: string[], link?: { label: string; url: string }): ComposedEmail {
  const footer = 'Det här är ett automatiskt meddelande från tjänsten Medborgarlöften.';
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.url}`] : []), '--', footer].join('\n\n');
  const html = [
    '<!doctype html><html lang="sv"><body>',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    link ? `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>` : '',
    `<hr><p><small>${escapeHtml(footer)}</small></p></body></html>`,
  ].join('\n');
  return { subject, text, html };
}

interface SigningContext {
  signatoryName: string;
  promiseTitle: string;
  municipality: string;
  versionNumber: number;
  documentSha256: string;
  deadline: Date;
  link: string;
}

const signLink = (url: string) => ({ label: 'Läs och signera här', url });
const documentLine = (c: SigningContext) =>
  `Du signerar version ${c.versionNumber} av texten, med kontrollsumman (SHA-256) ${c.documentSha256}.`;

export const emails = {
  signingRequest: (c: SigningContext) =>
    compose(
      `Signera medborgarlöftet: ${c.promiseTitle}`,
      [
        `Hej ${c.signatoryName},`,
        `Medborgarlöftet "${c.promiseTitle}" i ${c.municipality} är klart för signering, och du står som en av dem som skriver under.`,
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
        documentLine(c),
        `Sista dag att signera är ${formatDate(c.deadline)}. Länken nedan är ny; tidigare länkar fungerar också.`,
      ],
      signLink(c.link),
    ),

  deadlineWarning: (c: SigningContext) =>
    compose(
      `Snart för sent: signera medborgarlöftet ${c.promiseTitle} senast ${formatDate(c.deadline)}`,
      [
        `Hej ${c.signatoryName},`,
        `Signeringen av medborgarlöftet "${c.promiseTitle}" stänger ${formatDate(c.deadline)}. Om alla inte har signerat då går löftet tillbaka till utkast.`,
        documentLine(c),
      ],
      signLink(c.link),
    ),

  escalation: (c: { promiseTitle: string; pending: string[]; deadline: Date }) =>
    compose(`Signaturer saknas: ${c.promiseTitle}`, [
      `Följande har ännu inte signerat medborgarlöftet "${c.promiseTitle}", trots påminnelser:`,
      c.pending.map((name) => `• ${name}`).join('\n'),
      `Signeringen stänger ${formatDate(c.deadline)}. Ta gärna kontakt direkt.`,
    ]),

  declined: (c: { promiseTitle: string; signatoryName: string; reason: string }) =>
    compose(`Avböjt: ${c.promiseTitle}`, [
      `${c.signatoryName} har avböjt att signera medborgarlöftet "${c.promiseTitle}".`,
      `Skäl: ${c.reason}`,
      'Löftet är tillbaka som utkast. Ändra texten vid behov och skicka det för signering igen.',
    ]),

  expired: (c: { promiseTitle: string; pending: string[] }) =>
    compose(`Signeringen löpte ut: ${c.promiseTitle}`, [
      `Tiden för att signera medborgarlöftet "${c.promiseTitle}" har gått ut. Dessa signerade inte:`,
      c.pending.map((name) => `• ${name}`).join('\n'),
      'Löftet är tillbaka som utkast och kan skickas för signering igen.',
    ]),

  activated: (c: { recipientName: string; promiseTitle: string; signatories: string[]; documentSha256: string }) =>
    compose(`Medborgarlöftet är signerat: ${c.promiseTitle}`, [
      `Hej ${c.recipientName},`,
      `Alla har nu signerat medborgarlöftet "${c.promiseTitle}", och det gäller från och med nu.`,
      `Signerat av:\n${c.signatories.map((name) => `• ${name}`).join('\n')}`,
      `Den signerade texten har kontrollsumman (SHA-256) ${c.documentSha256}.`,
    ]),

  withdrawn: (c: { recipientName: string; promiseTitle: string; reason: string }) =>
    compose(`Återkallat: ${c.promiseTitle}`, [
      `Hej ${c.recipientName},`,
      `Medborgarlöftet "${c.promiseTitle}" har återkallats av samordnaren.`,
      `Skäl: ${c.reason}`,
      'Tidigare länkar för signering fungerar inte längre.',
    ]),
};
