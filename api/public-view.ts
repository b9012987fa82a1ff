import { stockholmDateOf, stockholmTimeOf, utcDateOf } from '../domain/calendar';
import { storedContent } from '../domain/stored-content';
import { keyFromName } from '../domain/keys';
import { progressOf, updatesOf, type OccurrenceRecord } from '../domain/progress';
import { chainHeadsOf } from '../store/audit';
import type { Database } from '../store/database';
import { periodOf } from '../store/promises';
import { publicPromise } from '../store/public';
import { contextText } from '../store/year';
import type { PublicPromiseData } from './views/public';

// A signed promise as the public reads it, for its page and its feed: one reading of the records.

/** A municipality in an address: "lessebo", "astorps-kommun". */
export const municipalitySlug = (municipality: string) => keyFromName(municipality, 'kommun');
export const periodInWords = (p: { periodStart: Date; periodEnd: Date }) => {
  const { start, end } = periodOf(p);
  return `${start} – ${end}`;
};

export async function publicPromiseView(db: Database, id: string): Promise<PublicPromiseData | null> {
  const promise = await publicPromise(db, id);
  if (!promise) return null;
  const chain = await chainHeadsOf(db, id);
  const content = storedContent(promise.round.version.content);
  const occurrences: OccurrenceRecord[] = promise.occurrences.map((o) => ({
    commitmentKey: o.commitment.key,
    status: o.status,
    reports: o.reports.map((r) => ({
      id: r.id,
      kind: r.kind,
      performedOn: r.performedOn && utcDateOf(r.performedOn),
      description: r.description,
      reason: r.reason,
      newDueDate: r.newDueDate && utcDateOf(r.newDueDate),
      correctsId: r.correctsId,
      reportedOn: stockholmDateOf(r.createdAt),
      reportedAt: r.createdAt,
    })),
  }));
  const data = {
    id: promise.id,
    title: promise.title,
    municipality: promise.municipality,
    municipalitySlug: municipalitySlug(promise.municipality),
    period: periodInWords(promise),
    periodDates: periodOf(promise),
    status: promise.status,
    signedOn: promise.round.endedAt && stockholmDateOf(promise.round.endedAt),
    signedInstant: promise.round.endedAt,
    sha256: promise.round.version.sha256,
    canonicalText: promise.round.version.canonicalText,
    signatories: promise.round.requests
      .map((r) => ({
        ...r.signatory,
        party: r.signatory.party.name,
        signedAt: stockholmDateOf(r.signature!.decidedAt),
        signedAtTime: stockholmTimeOf(r.signature!.decidedAt.getTime()),
        signedAtInstant: r.signature!.decidedAt,
        documentSha256: r.signature!.documentSha256,
        method: r.signature!.method,
      }))
      .sort((a, b) => a.signingGroup - b.signingGroup || a.name.localeCompare(b.name, 'sv')),
    progress: progressOf(content, occurrences),
    updates: updatesOf(content, occurrences),
    followUps: promise.followUps.map((f) => ({
      index: f.periodIndex,
      final: f.final,
      start: utcDateOf(f.periodStart),
      end: utcDateOf(f.periodEnd),
      narrative: f.narrative ?? '',
      safetySurvey: contextText(f.safetySurvey),
      crimeStatistics: contextText(f.crimeStatistics),
      publishedAt: f.publishedAt ? stockholmDateOf(f.publishedAt) : '',
      publishedInstant: f.publishedAt ?? new Date(0),
    })),
    content,
    chain,
    predecessor: promise.predecessor,
    renewal: promise.renewal,
  };
  return data;
}
