import { PDFDocument } from 'pdf-lib';
import { followUpPdf, signedPromisePdf } from '../api/pdf/promise-pdf';
import { FIXTURES, publishedData } from '../test/support/published';
import { percentile } from './measures';

// Part 6: the PDFs as files, in this process (no server): how long PDFKit takes to write each
// real promise's signed PDF and its follow-up as tagged PDF/UA, and how large they come out.

const BASE = 'https://medborgarloften.example';

export interface PdfFigure {
  promise: string;
  kind: 'signerad' | 'uppföljning';
  medianMs: number;
  p95Ms: number;
  bytes: number;
  pages: number;
}

export async function pdfFigures(rounds: number): Promise<PdfFigure[]> {
  const figures: PdfFigure[] = [];
  for (const name of FIXTURES) {
    const data = publishedData(name);
    const writers = { signerad: () => signedPromisePdf(data, BASE), uppföljning: async () => (await followUpPdf(data, 0, BASE))! };
    for (const [kind, write] of Object.entries(writers) as [PdfFigure['kind'], () => Promise<Uint8Array>][]) {
      await write(); // warm-up: fonts read and parsed once per process
      const times: number[] = [];
      let bytes: Uint8Array = new Uint8Array();
      for (let i = 0; i < rounds; i++) {
        const started = performance.now();
        bytes = await write();
        times.push(performance.now() - started);
      }
      const pages = (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount();
      figures.push({ promise: name, kind, medianMs: percentile(times, 50), p95Ms: percentile(times, 95), bytes: bytes.length, pages });
    }
  }
  return figures;
}
