import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PageSizes, PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

// Text flowing down A4 pages, for the signed promise and its follow-ups. pdf-lib draws a line of
// text where it is told; breaking paragraphs into lines and lines into pages is done here. The
// DejaVu fonts are embedded (subset), so å, ä and ö print anywhere and nothing is fetched.

const FONT_FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  mono: 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

let fontBytes: Record<FontName, Buffer> | undefined;
const fontFiles = () =>
  (fontBytes ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
    mono: readFileSync(require.resolve(FONT_FILES.mono)),
  });

const MARGIN = 56;
const BODY = 10.5;
const LEADING = 1.4;
const GREY = rgb(0.3, 0.3, 0.3);

export interface PdfMetadata {
  title: string;
  subject: string;
  keywords: string[];
  /** When the document's content was fixed (the signing): the same content gives the same file. */
  date: Date;
}

export class PdfWriter {
  private page!: PDFPage;
  private y = 0;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Record<FontName, PDFFont>,
  ) {
    this.newPage();
  }

  static async create(metadata: PdfMetadata): Promise<PdfWriter> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const files = fontFiles();
    const embed = (name: FontName) => doc.embedFont(files[name], { subset: true });
    const [regular, bold, mono] = await Promise.all([embed('regular'), embed('bold'), embed('mono')]);
    doc.setTitle(metadata.title, { showInWindowTitleBar: true });
    doc.setSubject(metadata.subject);
    doc.setKeywords(metadata.keywords);
    doc.setLanguage('sv-SE');
    doc.setCreator('Medborgarlöften');
    doc.setProducer('Medborgarlöften (pdf-lib)');
    doc.setCreationDate(metadata.date);
    doc.setModificationDate(metadata.date);
    return new PdfWriter(doc, { regular, bold, mono });
  }

  private get width() {
    return this.page.getWidth() - 2 * MARGIN;
  }

  private newPage() {
    this.page = this.doc.addPage(PageSizes.A4);
    this.y = this.page.getHeight() - MARGIN;
  }

  /** The lines a text takes at this width; a word too long for a line (a hash, an address) is broken anywhere. */
  private lines(text: string, font: PDFFont, size: number, width: number): string[] {
    const fits = (line: string) => font.widthOfTextAtSize(line, size) <= width;
    return text.split('\n').flatMap((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = word;
        while (!fits(line)) {
          let cut = line.length - 1;
          while (cut > 1 && !fits(line.slice(0, cut))) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      return [...lines, line];
    });
  }

  /** Writes a text from the current position, on as many lines and pages as it takes. */
  text(text: string, options: { font?: FontName; size?: number; indent?: number; grey?: boolean; after?: number } = {}) {
    const font = this.fonts[options.font ?? 'regular'];
    const size = options.size ?? BODY;
    const indent = options.indent ?? 0;
    for (const line of this.lines(text, font, size, this.width - indent)) {
      if (this.y - size * LEADING < MARGIN + 24) this.newPage();
      this.y -= size * LEADING;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, ...(options.grey ? { color: GREY } : {}) });
    }
    this.y -= options.after ?? size * 0.6;
  }

  heading(text: string, level: 1 | 2 | 3) {
    const size = { 1: 18, 2: 13.5, 3: 11.5 }[level];
    if (this.y - size * 4 < MARGIN + 24) this.newPage();
    this.y -= level === 1 ? 0 : size * 0.6;
    this.text(text, { font: 'bold', size });
  }

  bullet(text: string, note?: string) {
    this.text(`•  ${text}`, { indent: 8, after: note ? 1 : undefined });
    if (note) this.text(note, { indent: 20, size: 9, grey: true });
  }

  /** Attaches a file (the signed text), for a reader to check against the fingerprint. */
  async attach(bytes: Uint8Array, name: string, description: string, date: Date) {
    await this.doc.attach(bytes, name, { mimeType: 'application/json', description, creationDate: date, modificationDate: date });
  }

  /** Finishes every page with its footer and page number, and gives the file. */
  async finish(footer: string): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    for (const [i, page] of pages.entries()) {
      const size = 8;
      const label = `${footer}  ·  ${i + 1} / ${pages.length}`;
      for (const [n, line] of this.lines(label, this.fonts.regular, size, this.width).entries()) {
        page.drawText(line, { x: MARGIN, y: MARGIN - 8 - n * size * LEADING, size, font: this.fonts.regular, color: GREY });
      }
    }
    return this.doc.save();
  }
}
