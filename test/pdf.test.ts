import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, decodePDFRawStream } from 'pdf-lib';
import { sha256Hex } from '../domain/crypto';
import { attachedSignedText } from '../api/pdf/attached-text';
import { followUpPdf, signedPromisePdf } from '../api/pdf/promise-pdf';
import { pdfText } from './support/pdf';
import { FIXTURES, publishedData } from './support/published';
import { pdfUaFailures } from './support/verapdf';

// The signed promise and its follow-ups are documents the accessibility law covers (issue 22):
// tagged PDF/UA-1 files, checked by veraPDF, for every real promise in the seeds. A screen
// reader gets headings, lists, the reading order, the language and a link it can follow.

const BASE = 'https://medborgarloften.example';
const catalogOf = async (bytes: Uint8Array) => (await PDFDocument.load(bytes, { updateMetadata: false })).catalog;

/** The structure types in a PDF's structure tree, in reading order. */
function structureTypes(node: PDFDict, into: string[] = []): string[] {
  const type = node.lookupMaybe(PDFName.of('S'), PDFName);
  if (type) into.push(type.decodeText());
  const kids = node.lookup(PDFName.of('K'));
  const children = kids instanceof PDFArray ? kids.asArray().map((k) => node.context.lookup(k)) : [kids];
  for (const child of children) if (child instanceof PDFDict && !child.has(PDFName.of('MCID'))) structureTypes(child, into);
  return into;
}

test.each(FIXTURES)('the signed PDF and the follow-up PDF of %s are PDF/UA-1 (veraPDF)', async (name) => {
  const data = publishedData(name);
  const files = { signed: await signedPromisePdf(data, BASE), followUp: (await followUpPdf(data, 0, BASE))! };
  expect(await pdfUaFailures(files)).toEqual({ signed: [], followUp: [] });
});

test('a title with the characters XML reserves still gives a valid PDF/UA file', async () => {
  const data = publishedData('lessebo-2020');
  const title = 'Trygghet & trivsel <i centrum> "för alla"';
  const tricky = { ...data, title, content: { ...data.content, title } };
  const files = { signed: await signedPromisePdf(tricky, BASE), followUp: (await followUpPdf(tricky, 0, BASE))! };
  expect(await pdfUaFailures(files)).toEqual({ signed: [], followUp: [] });
  const info = (await PDFDocument.load(files.signed, { updateMetadata: false })).getTitle();
  expect(info).toBe(title);
});

test('the signed PDF is tagged: title, language, headings, lists, a link to check it, the signatures as a table', async () => {
  const data = publishedData('ljungby-2021');
  const bytes = await signedPromisePdf(data, BASE);
  const catalog = await catalogOf(bytes);
  expect(catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('sv-SE');
  expect(catalog.lookup(PDFName.of('MarkInfo'), PDFDict).get(PDFName.of('Marked'))?.toString()).toBe('true');
  expect(catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict).get(PDFName.of('DisplayDocTitle'))?.toString()).toBe('true');
  const xmp = new TextDecoder().decode(
    decodePDFRawStream(catalog.context.lookup(catalog.get(PDFName.of('Metadata'))) as PDFRawStream).decode(),
  );
  expect(xmp).toContain('<pdfuaid:part>1</pdfuaid:part>');
  expect(xmp).toContain(data.title);

  const types = structureTypes(catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict));
  expect(types[0]).toBe('Document');
  expect(types.filter((t) => t === 'H1')).toHaveLength(1);
  expect(types.indexOf('H1')).toBeLessThan(types.indexOf('H2'));
  expect(types).toEqual(expect.arrayContaining(['H2', 'H3', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD', 'Link']));

  // The address to check the promise is a link a reader can follow, in the structure tree.
  const doc = await PDFDocument.load(bytes);
  const uris = doc
    .getPages()
    .flatMap((page) => page.node.Annots()?.asArray() ?? [])
    .map((ref) => doc.context.lookup(ref, PDFDict))
    .filter((annot) => annot.get(PDFName.of('Subtype'))?.toString() === '/Link')
    .map((annot) => annot.lookup(PDFName.of('A'), PDFDict).lookup(PDFName.of('URI'), PDFString).decodeText());
  expect(uris).toContain(`${BASE}/verifiera`);
});

test('the signed PDF still carries the signed text, reads in order, and the same promise gives the same file', async () => {
  const data = publishedData('lessebo-2020');
  const bytes = await signedPromisePdf(data, BASE);
  expect(sha256Hex((await attachedSignedText(bytes))!)).toBe(data.sha256);
  const text = pdfText(bytes);
  expect(text.indexOf(data.title)).toBeLessThan(text.indexOf('Underskrifter'));
  for (const s of data.signatories) expect(text).toContain(s.name);
  expect(text).toContain(data.sha256);
  expect(Buffer.from(await signedPromisePdf(data, BASE)).equals(Buffer.from(bytes))).toBe(true);
});
