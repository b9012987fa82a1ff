import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The Nu HTML Checker (vnu.jar from npm, run on the Java the tests already need) over a batch of
// documents at once, since starting the checker takes a second.

const VNU_JAR = join(__dirname, '..', '..', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

interface VnuMessage {
  type: 'error' | 'info' | 'non-document-error';
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
}

/** Every error the checker finds in the documents, as "<name>:<line>: <message>"; none for valid HTML. */
export async function htmlErrors(documents: { name: string; html: string }[]): Promise<string[]> {
  if (documents.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'vnu-'));
  try {
    const files = documents.map((document, i) => {
      const file = join(dir, `${i}.html`);
      writeFileSync(file, document.html);
      return file;
    });
    const { stdout } = await promisify(execFile)(
      process.env.JAVA_PATH ?? 'java',
      ['-jar', VNU_JAR, '--format', 'json', '--stdout', '--exit-zero-always', ...files],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
    );
    const { messages } = JSON.parse(stdout) as { messages: VnuMessage[] };
    return messages
      .filter((m) => m.type !== 'info')
      .map((m) => {
        const index = Number(/(\d+)\.html$/.exec(m.url ?? '')?.[1]);
        return `${documents[index]?.name ?? '?'}:${m.lastLine ?? 0}: ${m.message}`;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
