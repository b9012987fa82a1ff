import { execFileSync } from 'node:child_process';

/** The text of a PDF as poppler's pdftotext reads it (Debian's poppler-utils), in reading order. */
export function pdfText(bytes: Uint8Array): string {
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: bytes, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('pdftotext saknas: apt-get install poppler-utils');
    throw error;
  }
}
