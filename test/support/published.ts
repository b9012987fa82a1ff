import { canonicalTextOf } from '../../domain/document';
import { sha256Hex } from '../../domain/crypto';
import { progressOf } from '../../domain/progress';
import type { PublicPromiseData } from '../../api/views/public';
import { fixture } from './promises';

// A real promise as the public pages and PDFs read it once every party has signed and a final
// follow-up is published, without a server: for the PDF tests and the PDF figures of the bench.

export const FIXTURES = ['lessebo-2020', 'ljungby-2021', 'astorp-2023-2025'] as const;

export function publishedData(name: (typeof FIXTURES)[number]): PublicPromiseData {
  const content = fixture(name);
  const canonicalText = canonicalTextOf(content);
  const sha256 = sha256Hex(canonicalText);
  const signedAtInstant = new Date('2026-03-02T09:30:00Z');
  return {
    id: `loefte-${name}`,
    title: content.title,
    municipality: content.municipality,
    municipalitySlug: name,
    period: `${content.period.start} – ${content.period.end}`,
    periodDates: content.period,
    status: 'ACTIVE',
    signedOn: '2026-03-02',
    signedInstant: signedAtInstant,
    sha256,
    canonicalText,
    signatories: content.signatories.map((s) => ({
      name: s.name,
      title: s.title,
      party: content.parties.find((p) => p.key === s.partyKey)!.name,
      signedAt: '2026-03-02',
      signedAtTime: '2026-03-02 10:30',
      signedAtInstant,
      documentSha256: sha256,
      method: 'EMAIL_LINK' as const,
    })),
    progress: progressOf(content, []),
    updates: [],
    followUps: [
      {
        index: 0,
        final: true,
        start: content.period.start,
        end: content.period.end,
        narrative: 'Trygghetsvandringarna blev av, och fler ville vara med.\nNästa år fortsätter arbetet.',
        safetySurvey: 'Andelen som känner sig trygga ökade.',
        crimeStatistics: null,
        publishedAt: '2026-12-01',
        publishedInstant: new Date('2026-12-01T13:00:00Z'),
      },
    ],
    content,
    chain: {
      head: { hash: sha256Hex(`${name}: senaste händelsen`), sequence: 40 },
      atSigning: { hash: sha256Hex(`${name}: sista signaturen`), sequence: 12 },
    },
    predecessor: null,
    renewal: null,
  };
}
