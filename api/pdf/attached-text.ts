import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { SIGNED_TEXT_ATTACHMENT } from './promise-pdf';

// Reads back the signed text a promise's PDF carries, for the verify page. pdf-lib writes
// attachments but has no call to read them, so the catalogue's EmbeddedFiles name tree is walked
// here: Names → EmbeddedFiles → Names [name, file specification, …] → EF → F (the file's stream).

/** The attached signed text, or undefined for a file that is no PDF or carries none. */
export async function attachedSignedText(bytes: Uint8Array): Promise<string | undefined> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return undefined;
  }
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const files = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)?.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (!files) return undefined;
  for (let i = 0; i + 1 < files.size(); i += 2) {
    const name = files.lookup(i);
    const label = name && 'decodeText' in name && typeof name.decodeText === 'function' ? (name.decodeText() as string) : undefined;
    if (label !== SIGNED_TEXT_ATTACHMENT) continue;
    const stream = files
      .lookupMaybe(i + 1, PDFDict)
      ?.lookupMaybe(PDFName.of('EF'), PDFDict)
      ?.lookup(PDFName.of('F'));
    if (stream instanceof PDFRawStream) return new TextDecoder().decode(decodePDFRawStream(stream).decode());
  }
  return undefined;
}
