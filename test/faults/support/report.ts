import { appendFileSync } from 'node:fs';

// Each fault scenario adds a row; `npm run test:faults` prints them as a table at the end.

export interface FaultResult {
  scenario: string;
  promises: number;
  kills: number;
  active: number;
  /** Two different e-mails for the same purpose to the same person in the same round. */
  duplicates: number;
  /** The same e-mail (same Message-ID, same link) delivered again after a crash right after the relay's 250. */
  redeliveries: number;
  lostSignatures: number;
  deadLinks: number;
}

export function reportFault(result: FaultResult): void {
  const file = process.env.FAULTS_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
}
