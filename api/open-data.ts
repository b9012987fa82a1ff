import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import type { OpenDataSchema } from '../domain/responses';
import type { Database } from '../store/database';
import { publicPromises } from '../store/public';
import { publicPromiseView } from './public-view';
import type { PublicPromiseData } from './views/public';

// Open data: every signed promise with its commitments, reports and published follow-ups, as JSON
// (schema OpenData in /openapi.json) and as three CSV files, from the same reading as the public
// pages, so nothing a page does not show. Licence CC0 1.0.

type OpenData = z.infer<typeof OpenDataSchema>;

/** When anything in the data last changed: a signing, a report, a published follow-up. */
function lastChangeOf(views: PublicPromiseData[]): Date {
  const times = views.flatMap((p) => [
    p.signedInstant?.getTime() ?? 0,
    ...p.updates.map((u) => u.reportedAt.getTime()),
    ...p.followUps.map((f) => f.publishedInstant.getTime()),
  ]);
  return new Date(Math.max(0, ...times));
}

export async function openData(db: Database, baseUrl: string): Promise<OpenData> {
  const views = (await Promise.all((await publicPromises(db)).map((p) => publicPromiseView(db, p.id)))).filter((v) => v !== null);
  return {
    licence: 'CC0-1.0',
    generatedAt: lastChangeOf(views),
    promises: views.map((p) => ({
      id: p.id,
      url: `${baseUrl}/loften/${p.id}`,
      title: p.title,
      municipality: p.municipality,
      period: p.periodDates,
      status: p.status as OpenData['promises'][number]['status'],
      signedOn: p.signedOn,
      sha256: p.sha256,
      auditChain: p.chain.head && {
        head: p.chain.head.hash,
        events: p.chain.head.sequence,
        headAtSigning: p.chain.atSigning?.hash ?? null,
      },
      signatories: p.signatories.map(({ name, title, party }) => ({ name, title, party })),
      commitments: p.progress.map(({ key, text, planned, done, cancelled, reported }) => ({
        key,
        text,
        planned,
        done,
        cancelled,
        reported,
      })),
      reports: p.updates.map((u) => ({
        id: u.id,
        date: u.on,
        kind: u.kind,
        commitment: u.commitment,
        description: u.description,
        reason: u.reason,
        newDueDate: u.newDueDate,
        corrects: u.correctsId,
      })),
      followUps: p.followUps.map((f) => ({ start: f.start, end: f.end, publishedOn: f.publishedAt, narrative: f.narrative })),
    })),
  };
}

/** The CSV files, by name: their columns (Swedish, as the open-data page documents them) and rows. */
export const CSV_FILES = {
  loften: ['lofte_id', 'titel', 'kommun', 'period_start', 'period_slut', 'lage', 'signerat', 'sha256', 'adress'],
  atgarder: ['lofte_id', 'nyckel', 'text', 'planerade', 'genomforda', 'installda', 'rapporterat'],
  rapporter: ['lofte_id', 'rapport_id', 'datum', 'slag', 'lofte', 'beskrivning', 'skal', 'nytt_datum', 'rattar'],
} as const;
export type CsvFile = keyof typeof CSV_FILES;

/**
 * A CSV file: as RFC 4180 writes it (commas), or as a spreadsheet in Sweden opens it by a double
 * click (semicolons, the decimal comma's list separator, and a byte order mark so it reads UTF-8).
 */
export function csvOf(data: OpenData, file: CsvFile, form: 'rfc4180' | 'spreadsheet' = 'rfc4180'): string {
  const rows =
    file === 'loften'
      ? data.promises.map((p) => [p.id, p.title, p.municipality, p.period.start, p.period.end, p.status, p.signedOn, p.sha256, p.url])
      : file === 'atgarder'
        ? data.promises.flatMap((p) => p.commitments.map((c) => [p.id, c.key, c.text, c.planned, c.done, c.cancelled, c.reported]))
        : data.promises.flatMap((p) =>
            p.reports.map((r) => [p.id, r.id, r.date, r.kind, r.commitment, r.description, r.reason, r.newDueDate, r.corrects]),
          );
  return stringify([[...CSV_FILES[file]], ...rows], {
    cast: { boolean: (value) => (value ? 'ja' : 'nej') },
    ...(form === 'spreadsheet' ? { delimiter: ';', bom: true } : {}),
  });
}
