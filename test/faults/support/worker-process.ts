import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../scripts/lib/provision';

// The production worker (`npm run worker`, worker/main.ts) as a process of its own, which the
// fault tests kill with SIGKILL at moments of their choosing and start again. It runs in a
// process group of its own, so a kill reaches tsx's Node child too.

export class WorkerProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  starts = 0;
  kills = 0;
  private readonly log: WriteStream;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the worker and resolves once it polls its task queue. */
  async start(): Promise<void> {
    const child = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), [join(projectRoot, 'worker', 'main.ts')], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.starts += 1;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr!.pipe(this.log, { end: false });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`Workern startade inte inom 60 s:\n${seen.slice(-2000)}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        seen += chunk.toString();
        if (seen.includes('worker: kö ')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Workern avslutades vid start (kod ${code}):\n${seen.slice(-2000)}`));
      });
    });
  }

  private killing?: Promise<void>;

  /** SIGKILL, as a crash or an out-of-memory kill would: no shutdown, activities cut off mid-step. */
  kill(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (!this.killing) {
      this.kills += 1;
      process.kill(-this.child!.pid!, 'SIGKILL');
      this.killing = this.exited!.then(() => {
        this.killing = undefined;
      });
    }
    return this.killing;
  }

  /** A clean stop (SIGTERM): running activities finish first. */
  async stop(): Promise<void> {
    if (!this.running) return;
    process.kill(-this.child!.pid!, 'SIGTERM');
    await this.exited;
    this.log.end();
  }
}
