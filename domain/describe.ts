import type { z } from 'zod';
import type { CommitmentShapeSchema, Step } from './content';

// The wording of domain values the product adds around and inside a promise's own text (how often,
// which kind of party or source), in Swedish (the signed document's language) and in English for
// pages read in English. Shared by pages, PDFs and e-mails.

export type Language = 'sv' | 'en';

interface Wording {
  per: Record<'YEAR' | 'HALF_YEAR' | 'QUARTER' | 'MONTH', string>;
  every: Record<'HALF_YEAR' | 'QUARTER' | 'MONTH', string>;
  times: (count: number, atLeast: boolean) => string;
  inTerms: string;
  inMonths: string;
  months: readonly string[];
  and: string;
  byDate: (date: string) => string;
  dateLater: (when?: string) => string;
  continuous: string;
  reportEvery: (every: string) => string;
  from: (date: string) => string;
  then: string;
  partyKinds: Record<'POLICE' | 'MUNICIPALITY' | 'BUSINESS' | 'OTHER', string>;
  sourceKinds: Record<'SAFETY_SURVEY' | 'CRIME_STATISTICS' | 'CITIZEN_DIALOGUE' | 'OTHER', string>;
}

const WORDING: Record<Language, Wording> = {
  sv: {
    per: { YEAR: 'per år', HALF_YEAR: 'per halvår', QUARTER: 'per kvartal', MONTH: 'per månad' },
    every: { HALF_YEAR: 'varje halvår', QUARTER: 'varje kvartal', MONTH: 'varje månad' },
    times: (count, atLeast) => `${atLeast ? 'minst ' : ''}${count} ${count === 1 ? 'gång' : 'gånger'}`,
    inTerms: 'under terminerna',
    inMonths: 'i',
    months: ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'],
    and: 'och',
    byDate: (date) => `en gång, senast ${date}`,
    dateLater: (when) => `en gång, datum bestäms senare${when ? ` (${when})` : ''}`,
    continuous: 'löpande',
    reportEvery: (every) => `löpande, lägesrapport ${every}`,
    from: (date) => ` från och med ${date}`,
    then: ', sedan ',
    partyKinds: { POLICE: 'Polisen', MUNICIPALITY: 'Kommun', BUSINESS: 'Näringsidkare', OTHER: 'Övrig part' },
    sourceKinds: {
      SAFETY_SURVEY: 'Trygghetsmätning',
      CRIME_STATISTICS: 'Brottsstatistik',
      CITIZEN_DIALOGUE: 'Medborgardialog',
      OTHER: 'Annan källa',
    },
  },
  en: {
    per: { YEAR: 'a year', HALF_YEAR: 'every six months', QUARTER: 'a quarter', MONTH: 'a month' },
    every: { HALF_YEAR: 'every six months', QUARTER: 'every quarter', MONTH: 'every month' },
    times: (count, atLeast) => `${atLeast ? 'at least ' : ''}${count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`}`,
    inTerms: 'during the school terms',
    inMonths: 'in',
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    and: 'and',
    byDate: (date) => `once, by ${date}`,
    dateLater: (when) => `once, the date to be set later${when ? ` (${when})` : ''}`,
    continuous: 'ongoing',
    reportEvery: (every) => `ongoing, a progress report ${every}`,
    from: (date) => ` from ${date}`,
    then: ', then ',
    partyKinds: { POLICE: 'Police', MUNICIPALITY: 'Municipality', BUSINESS: 'Business', OTHER: 'Other party' },
    sourceKinds: {
      SAFETY_SURVEY: 'Safety survey',
      CRIME_STATISTICS: 'Crime statistics',
      CITIZEN_DIALOGUE: 'Citizen dialogue',
      OTHER: 'Other source',
    },
  },
};

/** How often a commitment happens, in words: "minst 2 gånger per år, sedan löpande". */
export function describeShape(shape: z.infer<typeof CommitmentShapeSchema>, lang: Language = 'sv'): string {
  const words = WORDING[lang];
  if (shape.kind === 'STEPS') return shape.steps.map((step) => describeStep(step, words)).join(words.then);
  return describeStep(shape, words);
}

function describeStep(shape: Step, words: Wording): string {
  const from = shape.kind !== 'ONE_OFF' && shape.from ? words.from(shape.from) : '';
  return describeTimes(shape, words) + from;
}

function describeTimes(shape: Step, words: Wording): string {
  switch (shape.kind) {
    case 'COUNT_PER_PERIOD': {
      const times = `${words.times(shape.count, shape.atLeast ?? false)} ${words.per[shape.period]}`;
      if (!shape.within) return times;
      if (shape.within.kind === 'SCHOOL_TERMS') return `${times}, ${words.inTerms}`;
      const months = [...shape.within.months].sort((a, b) => a - b).map((m) => words.months[m - 1]!);
      return `${times}, ${words.inMonths} ${listInWords(months, words.and)}`;
    }
    case 'ONE_OFF':
      return shape.dueDate ? words.byDate(shape.dueDate) : words.dateLater(shape.dateToBeSet?.when);
    case 'CONTINUOUS':
      // Only what the text says: a rhythm the settings chose is no part of it.
      return shape.reportEvery ? words.reportEvery(words.every[shape.reportEvery]) : words.continuous;
  }
}

/** "a", "a och b", "a, b och c" (or "and"). */
export const listInWords = (items: string[], and = 'och') =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;

/** What kind of party, in words. */
export const partyKindIn = (lang: Language) => WORDING[lang].partyKinds;

/** What kind of source of the situation, in words. */
export const sourceKindIn = (lang: Language) => WORDING[lang].sourceKinds;

/** An organisation as a letter is signed: "Lessebo kommun", "Polisen, Lokalpolisområde Nybro". */
export function organisationInWords(organisation: { kind: 'MUNICIPALITY' | 'POLICE_AREA'; name: string }): string {
  if (organisation.kind === 'POLICE_AREA') return `Polisen, ${organisation.name}`;
  return /kommun$/i.test(organisation.name) ? organisation.name : `${organisation.name} kommun`;
}
