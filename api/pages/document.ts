import type { PromiseContent } from '../../domain/content';
import { describeShape, listInWords, partyKindIn, sourceKindIn, type Language } from '../../domain/describe';
import { html, type Html } from './html';

// The promise as a reader sees it, the same content that is hashed and signed: one outline of
// headings, paragraphs and lists, drawn as HTML on the pages and as text in the PDF. The content's
// own words are as signed (Swedish); the words the product adds around them (headings, "how often",
// the kinds of parties) are in the reader's language, and the content is marked as Swedish there.

/** Text that is the promise's own (as signed), or the product's words around it. */
export type DocumentBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; own?: true }
  | { kind: 'paragraph'; text: string; label?: string; own?: true }
  | { kind: 'list'; items: { text: string; label?: string; note?: string }[] };

/** The product's words in the document, per language. */
const WORDS = {
  sv: {
    validity: (parties: string, start: string, end: string, annual: boolean) =>
      `${parties}. Gäller ${start} – ${end}${annual ? ', förnyas varje år' : ''}.`,
    police: 'Polismyndigheten',
    preparedBy: (names: string) => `Framtaget av ${names}.`,
    situation: 'Lägesbild',
    commitments: 'Fokusområden och löften',
    problem: 'Problem:',
    cause: 'Orsak:',
    responsible: (parties: string) => `Ansvar: ${parties}.`,
    goal: 'Vad vill vi uppnå?',
    followUp: 'Uppföljning',
    communication: 'Följ med hur det går',
    signatories: 'Parter och undertecknare',
    participants: 'Medverkar utan att skriva under',
  },
  en: {
    validity: (parties: string, start: string, end: string, annual: boolean) =>
      `${parties}. Valid ${start} – ${end}${annual ? ', renewed every year' : ''}.`,
    police: 'The Swedish Police Authority',
    preparedBy: (names: string) => `Prepared by ${names}.`,
    situation: 'The situation',
    commitments: 'Priority areas and commitments',
    problem: 'Problem:',
    cause: 'Cause:',
    responsible: (parties: string) => `Responsible: ${parties}.`,
    goal: 'What do we want to achieve?',
    followUp: 'Follow-up',
    communication: 'How to follow the progress',
    signatories: 'Parties and signatories',
    participants: 'Taking part without signing',
  },
} as const satisfies Record<Language, unknown>;

const heading = (level: 1 | 2 | 3, text: string, own?: true): DocumentBlock => ({ kind: 'heading', level, text, ...(own ? { own } : {}) });
/** A paragraph of the promise's own text, with the product's label in front, if any. */
const paragraph = (text: string, label?: string): DocumentBlock => ({ kind: 'paragraph', text, own: true, ...(label ? { label } : {}) });
/** A paragraph in the product's words. */
const note = (text: string): DocumentBlock => ({ kind: 'paragraph', text });
const list = (items: { text: string; label?: string; note?: string }[]): DocumentBlock[] =>
  items.length > 0 ? [{ kind: 'list', items }] : [];

export function documentOutline(content: PromiseContent, lang: Language = 'sv'): DocumentBlock[] {
  const words = WORDS[lang];
  const and = lang === 'sv' ? 'och' : 'and';
  const partyKinds = partyKindIn(lang);
  const partyName = new Map([...content.parties, ...(content.participants ?? [])].map((p) => [p.key, p.name]));
  const participants = content.participants ?? [];
  const authors = content.preparedBy ?? [];
  const parties = listInWords([content.municipality, content.policeArea ?? words.police], and);
  return [
    heading(1, content.title, true),
    note(words.validity(parties, content.period.start, content.period.end, content.renewal === 'ANNUAL')),
    ...(authors.length > 0
      ? [
          note(
            words.preparedBy(
              listInWords(
                authors.map((a) => `${a.name}, ${a.title}${a.organisation ? ` (${a.organisation})` : ''}`),
                and,
              ),
            ),
          ),
        ]
      : []),
    heading(2, words.situation),
    paragraph(content.situation.summary),
    ...list(content.situation.sources.map((s) => ({ label: sourceKindIn(lang)[s.kind], text: s.description }))),
    heading(2, words.commitments),
    ...(content.commitmentsIntro ? [paragraph(content.commitmentsIntro)] : []),
    ...content.priorityAreas.flatMap((area) => [
      heading(3, area.title, true),
      ...(area.problem ? [paragraph(area.problem, words.problem)] : []),
      ...(area.cause ? [paragraph(area.cause, words.cause)] : []),
      ...list(
        area.commitments.map((c) => ({
          text: c.text,
          note: `${describeShape(c.shape, lang)}. ${words.responsible(c.responsiblePartyKeys.map((key) => partyName.get(key) ?? key).join(', '))}`,
        })),
      ),
    ]),
    ...(content.goal ? [heading(2, words.goal), paragraph(content.goal)] : []),
    heading(2, words.followUp),
    paragraph(content.followUp),
    ...(content.communication ? [heading(2, words.communication), paragraph(content.communication)] : []),
    heading(2, words.signatories),
    ...list(
      content.signatories.map((s) => ({
        text: `${s.name}, ${s.title} (${partyName.get(s.partyKey) ?? s.partyKey})`,
        note: partyKinds[content.parties.find((p) => p.key === s.partyKey)?.kind ?? 'OTHER'],
      })),
    ),
    ...(participants.length > 0
      ? [heading(2, words.participants), ...list(participants.map((p) => ({ text: p.name, note: partyKinds[p.kind] })))]
      : []),
    ...(content.place || content.documentDate ? [paragraph([content.place, content.documentDate].filter(Boolean).join(' '))] : []),
  ];
}

/** The outline's headings on a page, below the page's own h1. */
const HEADINGS = {
  1: (text: string, lang?: string) => html`<h2${langAttribute(lang)}>${text}</h2>`,
  2: (text: string, lang?: string) => html`<h3${langAttribute(lang)}>${text}</h3>`,
  3: (text: string, lang?: string) => html`<h4${langAttribute(lang)}>${text}</h4>`,
};

const langAttribute = (lang?: string) => (lang ? html` lang="${lang}"` : '');

/**
 * The outline as HTML in the page's language. On a page in another language than the signed text's,
 * the promise's own words are marked as Swedish.
 */
export function renderDocument(content: PromiseContent, lang: Language = 'sv'): Html {
  const own = lang === 'sv' ? undefined : 'sv';
  return html`<article>${documentOutline(content, lang).map((block) => {
    if (block.kind === 'heading') return HEADINGS[block.level](block.text, block.own && own);
    if (block.kind === 'paragraph') {
      return html`<p>${block.label ? html`<strong>${block.label}</strong> ` : ''}${block.own && own ? html`<span lang="${own}">${block.text}</span>` : block.text}</p>`;
    }
    return html`<ul>${block.items.map(
      (item) =>
        html`<li>${item.label ? html`${item.label}: ` : ''}${own ? html`<span lang="${own}">${item.text}</span>` : item.text}${
          item.note ? html` <br><small>${item.note}</small>` : ''
        }</li>`,
    )}</ul>`;
  })}</article>`;
}
