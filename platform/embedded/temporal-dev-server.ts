import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from '../../domain/search-attributes';

// The Temporal dev server of `npm start`: the Temporal CLI's SQLite-backed server with its web
// UI, persisting under the data folder so promises survive a restart, with the promises' search
// attributes registered.

export interface DevServer {
  address: string;
  uiUrl: string;
  /** The server's process, for measuring what it costs (npm run bench). */
  pid: number;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
}): Promise<DevServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    options.cliPath,
    [
      'server',
      'start-dev',
      '--db-filename',
      join(options.dataDir, 'temporal.sqlite'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--ui-port',
      String(options.uiPort),
      '--namespace',
      options.namespace,
      '--log-level',
      'error',
      ...searchAttributeFlags(),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server avslutades (kod ${child.exitCode}): ${stderr.trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Temporal dev server svarade inte på ${address} inom 60 s: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return {
    address,
    uiUrl: `http://localhost:${options.uiPort}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
