import type { z } from 'zod';
import type { CommitmentShapeSchema, Step } from './content';

// Swedish wording of domain values, shared by pages and e-mails.

const PER: Record<string, string> = { YEAR: 'per år', HALF_YEAR: 'per halvår', QUARTER: 'per kvartal', MONTH: 'per månad' };
const EVERY: Record<string, string> = { HALF_YEAR: 'varje halvår', QUARTER: 'varje kvartal', MONTH: 'varje månad' };

export function describeShape(shape: z.infer<typeof CommitmentShapeSchema>): string {
  if (shape.kind === 'STEPS') return shape.steps.map(describeStep).join(', sedan ');
  return describeStep(shape);
}

function describeStep(shape: Step): string {
  const from = shape.kind !== 'ONE_OFF' && shape.from ? ` från och med ${shape.from}` : '';
  return describeTimes(shape) + from;
}

function describeTimes(shape: Step): string {
  switch (shape.kind) {
    case 'COUNT_PER_PERIOD': {
      const times = `${shape.atLeast ? 'minst ' : ''}${shape.count} ${shape.count === 1 ? 'gång' : 'gånger'} ${PER[shape.period]}`;
      if (!shape.within) return times;
      if (shape.within.kind === 'SCHOOL_TERMS') return `${times}, under terminerna`;
      return `${times}, i ${listSv([...shape.within.months].sort((a, b) => a - b).map((m) => MONTHS_SV[m - 1]!))}`;
    }
    case 'ONE_OFF':
      if (shape.dueDate) return `en gång, senast ${shape.dueDate}`;
      return `en gång, datum bestäms senare${shape.dateToBeSet?.when ? ` (${shape.dateToBeSet.when})` : ''}`;
    case 'CONTINUOUS':
      // Only what the text says: a rhythm the settings chose is no part of it.
      return shape.reportEvery ? `löpande, lägesrapport ${EVERY[shape.reportEvery]}` : 'löpande';
  }
}

const MONTHS_SV = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];

/** "a", "a och b", "a, b och c". */
const listSv = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} och ${items[items.length - 1]}`);

export const PARTY_KIND_SV = { POLICE: 'Polisen', MUNICIPALITY: 'Kommun', BUSINESS: 'Näringsidkare', OTHER: 'Övrig part' } as const;

export const SOURCE_KIND_SV = {
  SAFETY_SURVEY: 'Trygghetsmätning',
  CRIME_STATISTICS: 'Brottsstatistik',
  CITIZEN_DIALOGUE: 'Medborgardialog',
  OTHER: 'Annan källa',
} as const;

/** An organisation as a letter is signed: "Lessebo kommun", "Polisen, Lokalpolisområde Nybro". */
export function organisationInWords(organisation: { kind: 'MUNICIPALITY' | 'POLICE_AREA'; name: string }): string {
  if (organisation.kind === 'POLICE_AREA') return `Polisen, ${organisation.name}`;
  return /kommun$/i.test(organisation.name) ? organisation.name : `${organisation.name} kommun`;
}
