import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

// Text flowing down A4 pages, for the signed promise and its follow-ups, as a tagged PDF/UA-1
// document: every heading, paragraph, list, table and link is an element of the structure tree a
// screen reader follows (in the order written), and the page footers are marked as artifacts.
// PDFKit lays out and breaks the text and writes the tags; what is ours is which element each
// piece of the document is. The DejaVu fonts are embedded (subset), so å, ä and ö print anywhere.

const FONT_FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  mono: 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

/**
 * The fonts, read and parsed once per process: parsing them was most of the time a PDF took
 * (README, Prestanda). PDFKit takes a parsed fontkit font as it takes a file, and embeds its own
 * subset of it in each PDF.
 */
let parsed: Record<FontName, fontkit.Font> | undefined;
const fonts = () =>
  (parsed ??= {
    regular: fontkit.create(readFileSync(require.resolve(FONT_FILES.regular))) as fontkit.Font,
    bold: fontkit.create(readFileSync(require.resolve(FONT_FILES.bold))) as fontkit.Font,
    mono: fontkit.create(readFileSync(require.resolve(FONT_FILES.mono))) as fontkit.Font,
  });
/** A parsed font where PDFKit's types say a path or bytes. */
const source = (name: FontName) => fonts()[name] as unknown as string;

const MARGIN = 56;
const FOOTER_SPACE = 24;
const BODY = 10.5;
const LINE_GAP = 3;
const GREY = '#4d4d4d';
const HEADING_SIZE = { 1: 18, 2: 13.5, 3: 11.5 } as const;

export interface PdfMetadata {
  title: string;
  subject: string;
  keywords: string[];
  /** When the document's content was fixed (the signing): the same content gives the same file. */
  date: Date;
}

interface TextStyle {
  font?: FontName;
  size?: number;
  grey?: boolean;
  /** The language of this text, where it is not the document's Swedish. */
  lang?: string;
}

// @types/pdfkit (0.17) lags PDFKit 0.20: it knows neither a table's or a link's structure
// parent nor a header cell's scope, all of which PDFKit itself reads.
type TableWithStructure = PDFKit.Mixins.TableOptionsWithData & { structParent: PDFKit.PDFStructureElement };
type HeaderCell = PDFKit.Mixins.CellOptions & { scope: 'Column' };
/** A link annotation in the structure tree, described for a screen reader (PDFKit writes a String object as a PDF string). */
// eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
type TaggedLink = { structParent: PDFKit.PDFStructureElement; Contents: String };

const xmlEscaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class PdfWriter {
  private readonly doc: PDFKit.PDFDocument;
  private readonly root: PDFKit.PDFStructureElement;

  constructor(metadata: PdfMetadata) {
    const info = {
      Title: metadata.title,
      Subject: metadata.subject,
      Keywords: metadata.keywords.join(', '),
      Creator: 'Medborgarlöften',
      Producer: 'Medborgarlöften (PDFKit)',
      CreationDate: metadata.date,
      ModDate: metadata.date,
    };
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
      pdfVersion: '1.7',
      tagged: true,
      displayTitle: true,
      lang: 'sv-SE',
      bufferPages: true,
      font: source('regular'),
      info,
    });
    // The PDF/UA-1 identification, in the XMP metadata. PDFKit's own `subset: 'PDF/UA'` would
    // write it too, but also a CIDSet for each font (meant for PDF/A-1) that veraPDF finds
    // incomplete; PDF/UA does not ask for one.
    this.doc.appendXML(
      '<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about=""><pdfuaid:part>1</pdfuaid:part></rdf:Description>',
    );
    // PDFKit writes the document information into the XMP metadata without escaping it, so a
    // title with "&" or "<" would break the XML; the information dictionary, written first,
    // keeps the text as it is.
    const endMetadata = this.doc.endMetadata.bind(this.doc);
    this.doc.endMetadata = () => {
      this.doc.info = { ...info, Title: xmlEscaped(info.Title), Subject: xmlEscaped(info.Subject), Keywords: xmlEscaped(info.Keywords) };
      endMetadata();
    };
    for (const name of Object.keys(FONT_FILES) as FontName[]) this.doc.registerFont(name, source(name));
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
  }

  private get width() {
    return this.doc.page.width - 2 * MARGIN;
  }

  private style({ font = 'regular', size = BODY, grey = false }: TextStyle) {
    return this.doc
      .font(font)
      .fontSize(size)
      .fillColor(grey ? GREY : 'black');
  }

  /** Starts a new page unless `height` fits above the footer. */
  private keepTogether(height: number) {
    if (this.doc.y + height > this.doc.page.height - this.doc.page.margins.bottom) this.doc.addPage();
  }

  /** A text from the left margin (or `indent`), on as many lines and pages as it takes. */
  private write(text: string, style: TextStyle, indent = 0, after = 0.6) {
    this.style(style).text(text, MARGIN + indent, this.doc.y, { width: this.width - indent, lineGap: LINE_GAP });
    this.doc.y += (style.size ?? BODY) * after;
  }

  private element(type: string, lang: string | undefined, draw: () => void, parent = this.root) {
    const element = this.doc.struct(type, lang ? { lang } : {}, draw);
    parent.add(element);
    element.end();
  }

  paragraph(text: string, style: TextStyle = {}) {
    this.element('P', style.lang, () => this.write(text, style));
  }

  heading(text: string, level: 1 | 2 | 3) {
    const size = HEADING_SIZE[level];
    if (level > 1) this.doc.y += size * 0.6;
    this.keepTogether(size * 4);
    this.element(`H${level}`, undefined, () => this.write(text, { font: 'bold', size }));
  }

  /** A bulleted list; an item's note (how often, who) is a second, smaller line of the item's body. */
  list(items: { text: string; note?: string }[]) {
    const list = this.doc.struct('L');
    this.root.add(list);
    for (const item of items) {
      this.keepTogether(BODY * 3);
      const li = this.doc.struct('LI');
      list.add(li);
      const top = this.doc.y;
      this.element('Lbl', undefined, () => this.style({}).text('•', MARGIN + 8, top, { lineBreak: false }), li);
      this.doc.y = top;
      this.element(
        'LBody',
        undefined,
        () => {
          this.write(item.text, {}, 20, item.note ? 0.1 : 0.6);
          if (item.note) this.write(item.note, { size: 9, grey: true }, 20);
        },
        li,
      );
      li.end();
    }
    list.end();
  }

  /** A table with a header row, each header naming its column. */
  table(headers: string[], rows: { text: string; style?: TextStyle }[][], columnWidths: number[]) {
    this.doc.y += 2;
    const fontOf = (name: FontName) => ({ src: name });
    const header = (text: string): HeaderCell => ({ text, type: 'TH', scope: 'Column', font: fontOf('bold') });
    const options: TableWithStructure = {
      structParent: this.root,
      columnStyles: columnWidths.map((share) => ({ width: share * this.width })),
      defaultStyle: { border: 0.5, borderColor: '#999999', padding: 4 },
      data: [
        headers.map(header),
        ...rows.map((row) =>
          row.map(({ text, style }) => ({
            text,
            ...(style?.font || style?.size ? { font: { ...fontOf(style.font ?? 'regular'), size: style.size } } : {}),
          })),
        ),
      ],
    };
    this.style({ size: 9 }).table(options);
    this.doc.x = MARGIN;
    this.doc.y += BODY * 0.6;
  }

  /** A paragraph whose text is a web address a reader can follow (a link in the structure tree). */
  link(before: string, url: string, description: string) {
    this.element('P', undefined, () => {
      this.style({}).text(`${before} `, MARGIN, this.doc.y, { width: this.width, lineGap: LINE_GAP, continued: true });
    });
    const link = this.doc.struct('Link');
    this.root.add(link);
    link.add(
      this.doc.struct('Span', {}, () => {
        const x = this.doc.x;
        const y = this.doc.y;
        this.doc.text(url, { width: this.width, lineGap: LINE_GAP, underline: true });
        const tagged: TaggedLink = { structParent: link, Contents: new String(description) };
        this.doc.link(
          x,
          y,
          this.doc.widthOfString(url),
          this.doc.currentLineHeight(),
          url,
          tagged as unknown as PDFKit.Mixins.AnnotationOption,
        );
      }),
    );
    link.end();
    this.doc.y += BODY * 0.6;
  }

  /** Attaches a file (the signed text), for a reader to check against the fingerprint. */
  attach(bytes: Uint8Array, name: string, description: string, date: Date) {
    this.doc.file(Buffer.from(bytes), {
      name,
      type: 'application/json',
      description,
      creationDate: date,
      modifiedDate: date,
    });
  }

  /** Finishes every page with its footer and page number (artifacts, not content), and gives the file. */
  async finish(footer: string): Promise<Uint8Array> {
    this.root.end();
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      const bottom = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      this.doc.markContent('Artifact', { type: 'Pagination' });
      this.style({ size: 8, grey: true }).text(`${footer}  ·  ${i + 1} / ${count}`, MARGIN, this.doc.page.height - MARGIN - 4, {
        width: this.width,
      });
      this.doc.endMarkedContent();
      this.doc.page.margins.bottom = bottom;
    }
    const chunks: Buffer[] = [];
    this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.doc.end();
    await ended;
    return new Uint8Array(Buffer.concat(chunks));
  }
}
