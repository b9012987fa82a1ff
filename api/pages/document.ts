import type { PromiseContent } from '../../domain/content';
import { describeShape, PARTY_KIND_SV, SOURCE_KIND_SV } from '../../domain/describe';
import { html, type Html } from './html';

// The promise as a reader sees it, the same content that is hashed and signed: one outline of
// headings, paragraphs and lists, drawn as HTML on the pages and as text in the PDF.

export type DocumentBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; label?: string }
  | { kind: 'list'; items: { text: string; note?: string }[] };

const heading = (level: 1 | 2 | 3, text: string): DocumentBlock => ({ kind: 'heading', level, text });
const paragraph = (text: string, label?: string): DocumentBlock => ({ kind: 'paragraph', text, ...(label ? { label } : {}) });
const list = (items: { text: string; note?: string }[]): DocumentBlock[] => (items.length > 0 ? [{ kind: 'list', items }] : []);

/** "A", "A och B", "A, B och C". */
const inWords = (parts: string[]) =>
  parts.reduce((out, part, i) => (i === 0 ? part : `${out}${i === parts.length - 1 ? ' och ' : ', '}${part}`), '');

export function documentOutline(content: PromiseContent): DocumentBlock[] {
  const partyName = new Map([...content.parties, ...(content.participants ?? [])].map((p) => [p.key, p.name]));
  const participants = content.participants ?? [];
  const authors = content.preparedBy ?? [];
  return [
    heading(1, content.title),
    paragraph(
      `${content.municipality} och ${content.policeArea ?? 'Polismyndigheten'}. Gäller ${content.period.start} – ${content.period.end}${
        content.renewal === 'ANNUAL' ? ', förnyas varje år' : ''
      }.`,
    ),
    ...(authors.length > 0
      ? [paragraph(`Framtaget av ${inWords(authors.map((a) => `${a.name}, ${a.title}${a.organisation ? ` (${a.organisation})` : ''}`))}.`)]
      : []),
    heading(2, 'Lägesbild'),
    paragraph(content.situation.summary),
    ...list(content.situation.sources.map((s) => ({ text: `${SOURCE_KIND_SV[s.kind]}: ${s.description}` }))),
    heading(2, 'Fokusområden och löften'),
    ...(content.commitmentsIntro ? [paragraph(content.commitmentsIntro)] : []),
    ...content.priorityAreas.flatMap((area) => [
      heading(3, area.title),
      ...(area.problem ? [paragraph(area.problem, 'Problem:')] : []),
      ...(area.cause ? [paragraph(area.cause, 'Orsak:')] : []),
      ...list(
        area.commitments.map((c) => ({
          text: c.text,
          note: `${describeShape(c.shape)}. Ansvar: ${c.responsiblePartyKeys.map((key) => partyName.get(key) ?? key).join(', ')}.`,
        })),
      ),
    ]),
    ...(content.goal ? [heading(2, 'Vad vill vi uppnå?'), paragraph(content.goal)] : []),
    heading(2, 'Uppföljning'),
    paragraph(content.followUp),
    ...(content.communication ? [heading(2, 'Följ med hur det går'), paragraph(content.communication)] : []),
    heading(2, 'Parter och undertecknare'),
    ...list(
      content.signatories.map((s) => ({
        text: `${s.name}, ${s.title} (${partyName.get(s.partyKey) ?? s.partyKey}, ${
          PARTY_KIND_SV[content.parties.find((p) => p.key === s.partyKey)?.kind ?? 'OTHER']
        })`,
      })),
    ),
    ...(participants.length > 0
      ? [
          heading(2, 'Medverkar utan att skriva under'),
          ...list(participants.map((p) => ({ text: `${p.name} (${PARTY_KIND_SV[p.kind]})` }))),
        ]
      : []),
    ...(content.place || content.documentDate ? [paragraph([content.place, content.documentDate].filter(Boolean).join(' '))] : []),
  ];
}

/** The outline's headings on a page, below the page's own h1. */
const HEADINGS = {
  1: (text: string) => html`<h2>${text}</h2>`,
  2: (text: string) => html`<h3>${text}</h3>`,
  3: (text: string) => html`<h4>${text}</h4>`,
};

/** The outline as HTML. */
export function renderDocument(content: PromiseContent): Html {
  return html`<article>${documentOutline(content).map((block) => {
    if (block.kind === 'heading') return HEADINGS[block.level](block.text);
    if (block.kind === 'paragraph') return html`<p>${block.label ? html`<strong>${block.label}</strong> ` : ''}${block.text}</p>`;
    return html`<ul>${block.items.map((item) => html`<li>${item.text}${item.note ? html` <br><small>${item.note}</small>` : ''}</li>`)}</ul>`;
  })}</article>`;
}
