import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/lib/provision';

/** Starts platform/embedded/pglite.ts in a child process and returns its URL. */
export async function startEmbeddedDatabaseProcess(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'pglite-process.ts'), dataDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`PGlite-processen avslutades (kod ${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
