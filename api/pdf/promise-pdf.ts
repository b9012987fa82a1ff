import { documentOutline } from '../pages/document';
import type { PublicPromiseData } from '../views/public';
import { sv } from '../views/texts/sv';
import { PdfWriter } from './writer';

// The signed promise and its published follow-ups as PDF files anyone can keep: the text as
// signed, every signature with its time and the fingerprint it was given on, and how to check it.
// The signed text itself rides along as an attachment, which the verify page can read back.

export const SIGNED_TEXT_ATTACHMENT = 'medborgarlofte.json';

/** The moment a promise's content was fixed: its last signature. */
const signedAt = (data: PublicPromiseData) => new Date(Math.max(...data.signatories.map((s) => s.signedAtInstant.getTime())));

export async function signedPromisePdf(data: PublicPromiseData, baseUrl: string): Promise<Uint8Array> {
  const date = signedAt(data);
  const pdf = new PdfWriter({
    title: data.title,
    subject: `Medborgarlöfte för ${data.municipality}, ${data.period}, signerat av alla parter`,
    keywords: ['medborgarlöfte', data.municipality, `sha256:${data.sha256}`],
    date,
  });
  pdf.paragraph(`Medborgarlöfte · ${data.municipality} · ${data.period}`, { grey: true, size: 9 });
  for (const block of documentOutline(data.content)) {
    if (block.kind === 'heading') pdf.heading(block.text, block.level);
    else if (block.kind === 'paragraph') pdf.paragraph(block.label ? `${block.label} ${block.text}` : block.text);
    else pdf.list(block.items.map((item) => ({ text: item.label ? `${item.label}: ${item.text}` : item.text, note: item.note })));
  }

  pdf.heading('Underskrifter', 2);
  pdf.paragraph(
    `Alla parter har signerat texten elektroniskt: med BankID (e-legitimation), eller med den personliga länken i sin e-post. Tider i svensk tid.`,
  );
  pdf.table(
    ['Undertecknare', 'Signerade', 'Texten som signerades (SHA-256)'],
    data.signatories.map((s) => [
      { text: `${s.name}, ${s.title}, ${s.party}` },
      { text: `${s.signedAtTime} ${sv.public.signedWith[s.method]}` },
      { text: s.documentSha256, style: { font: 'mono', size: 7 } },
    ]),
    [0.34, 0.18, 0.48],
  );

  pdf.heading('Kontroll', 2);
  pdf.paragraph(
    `Den signerade texten har fingeravtrycket (SHA-256) nedan. Fingeravtrycket räknas fram ur exakt den text som signerades; ändras ett enda tecken blir det ett annat. Texten finns bifogad i den här filen (${SIGNED_TEXT_ATTACHMENT}).`,
  );
  pdf.paragraph(data.sha256, { font: 'mono', size: 9 });
  const verifyAddress = `${baseUrl}/verifiera`;
  pdf.link('Kontrollera filen eller fingeravtrycket på', verifyAddress, 'Kontrollera ett medborgarlöfte');
  pdf.paragraph(
    `In English: the signed text has the SHA-256 fingerprint above and is attached to this file; check it at ${verifyAddress}.`,
    { grey: true, size: 9, lang: 'en' },
  );
  if (data.chain.atSigning) {
    const { hash, sequence } = data.chain.atSigning;
    pdf.heading('Händelsekedjan', 2);
    pdf.paragraph(
      `Löftets granskningslogg är en hashkedja: varje händelse bär fingeravtrycket av den före, så en ändrad, borttagen eller omflyttad händelse syns. När sista parten hade signerat var kedjans huvud händelse ${sequence}, med fingeravtrycket nedan. En nedladdad logg kontrolleras mot det på ${baseUrl}/verifiera/handelser.`,
    );
    pdf.paragraph(hash, { font: 'mono', size: 9 });
    pdf.paragraph(
      `In English: the audit trail is a hash chain; when the last party signed, its head was event ${sequence}, with the hash above. Check a downloaded trail against it at ${baseUrl}/verifiera/handelser.`,
      { grey: true, size: 9, lang: 'en' },
    );
  }
  pdf.attach(
    new TextEncoder().encode(data.canonicalText),
    SIGNED_TEXT_ATTACHMENT,
    'Den signerade texten, exakt som fingeravtrycket räknas',
    date,
  );
  return pdf.finish(`${data.title} · SHA-256 ${data.sha256}`);
}

export async function followUpPdf(data: PublicPromiseData, index: number, baseUrl: string): Promise<Uint8Array | undefined> {
  const followUp = data.followUps.find((f) => f.index === index);
  if (!followUp) return undefined;
  const pdf = new PdfWriter({
    title: `Uppföljning ${followUp.start} – ${followUp.end}: ${data.title}`,
    subject: `Uppföljning av medborgarlöftet för ${data.municipality}`,
    keywords: ['medborgarlöfte', 'uppföljning', data.municipality, `sha256:${data.sha256}`],
    date: new Date(`${followUp.publishedAt}T12:00:00Z`),
  });
  pdf.paragraph(`Uppföljning av medborgarlöfte · ${data.municipality}`, { grey: true, size: 9 });
  pdf.heading(data.title, 1);
  pdf.paragraph(
    `${followUp.final ? 'Slutuppföljning' : 'Uppföljning'} av perioden ${followUp.start} – ${followUp.end}. Publicerad ${followUp.publishedAt}.`,
  );
  pdf.heading('Sammanfattning', 2);
  pdf.paragraph(followUp.narrative || '–');
  if (followUp.safetySurvey) {
    pdf.heading('Trygghetsmätning', 2);
    pdf.paragraph(followUp.safetySurvey);
  }
  if (followUp.crimeStatistics) {
    pdf.heading('Brottsstatistik', 2);
    pdf.paragraph(followUp.crimeStatistics);
  }
  pdf.heading('Vad som gjorts', 2);
  pdf.list(
    data.progress.map((p) => ({
      text: p.text,
      note: p.reported ? sv.public.doneOf(p.done, p.planned, p.cancelled) : sv.public.noReportYet,
    })),
  );
  pdf.heading('Löftet', 2);
  pdf.paragraph(`Uppföljningen gäller det signerade löftet med fingeravtrycket (SHA-256):`);
  pdf.paragraph(data.sha256, { font: 'mono', size: 9 });
  pdf.link('Läs löftet på', `${baseUrl}/loften/${data.id}`, 'Det signerade löftet');
  pdf.link('Kontrollera det på', `${baseUrl}/verifiera`, 'Kontrollera ett medborgarlöfte');
  return pdf.finish(`Uppföljning ${followUp.start} – ${followUp.end} · ${data.title}`);
}
