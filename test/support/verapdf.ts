import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * What veraPDF finds against PDF/UA-1 in each file: the rules a file breaks, as
 * "clause-test: description (n×)", or nothing. `npm test` provisions veraPDF (VERAPDF_PATH).
 */
export async function pdfUaFailures(files: Record<string, Uint8Array>): Promise<Record<string, string[]>> {
  const veraPdf = process.env.VERAPDF_PATH;
  if (!veraPdf) throw new Error('VERAPDF_PATH saknas: kör testerna med npm test, som hämtar veraPDF');
  const dir = mkdtempSync(join(tmpdir(), 'pdfua-'));
  try {
    const paths = Object.entries(files).map(([name, bytes]) => {
      const path = join(dir, `${name}.pdf`);
      writeFileSync(path, bytes);
      return [name, path] as const;
    });
    const { stdout } = await promisify(execFile)(veraPdf, ['--flavour', 'ua1', '--format', 'json', ...paths.map(([, p]) => p)], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; code?: number }) => {
      // veraPDF exits non-zero when a file is not compliant; its report is still on stdout.
      if (typeof error.stdout === 'string' && error.stdout.startsWith('{')) return { stdout: error.stdout };
      throw error;
    });
    const jobs = (JSON.parse(stdout) as VeraPdfReport).report.jobs;
    return Object.fromEntries(
      paths.map(([name, path]) => {
        const job = jobs.find((j) => j.itemDetails.name === path);
        if (!job?.validationResult) return [name, [`veraPDF läste inte filen: ${JSON.stringify(job?.taskResult ?? job)}`]];
        const results = Array.isArray(job.validationResult) ? job.validationResult : [job.validationResult];
        return [
          name,
          results.flatMap((r) =>
            r.details.ruleSummaries.map((rule) => `${rule.clause}-${rule.testNumber}: ${rule.description} (${rule.failedChecks}×)`),
          ),
        ];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface VeraPdfReport {
  report: {
    jobs: {
      itemDetails: { name: string };
      taskResult?: unknown;
      validationResult?: ValidationResult | ValidationResult[];
    }[];
  };
}
interface ValidationResult {
  compliant: boolean;
  details: { ruleSummaries: { clause: string; testNumber: number; description: string; failedChecks: number }[] };
}
