import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/lib/provision';

// A production process (the worker, worker/main.ts, or the API, api/main.ts) as a process of its
// own: the fault tests kill the worker with SIGKILL at moments of their choosing and start it
// again; the bench measures what each costs. One Node process (tsx as its loader), in a process
// group of its own, so a kill and a measurement reach everything it starts.

export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  starts = 0;
  kills = 0;
  private readonly log: WriteStream;

  constructor(
    private readonly service: { script: string; name: string; readyWhen: string },
    private readonly env: NodeJS.ProcessEnv,
    /** Where the process's output goes, for a test to read. */
    readonly logFile: string,
    /** Node's own flags, e.g. --cpu-prof for the bench's profiles. */
    private readonly nodeFlags: string[] = [],
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The process group, for measuring the service's CPU time and memory. */
  get pid(): number | undefined {
    return this.running ? this.child!.pid : undefined;
  }

  /** Starts the service and resolves once it has said that it is ready. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', ...this.nodeFlags, join(projectRoot, this.service.script)], {
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
      const timer = setTimeout(() => reject(new Error(`${this.service.name} startade inte inom 60 s:\n${seen.slice(-2000)}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        seen += chunk.toString();
        if (seen.includes(this.service.readyWhen)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.service.name} avslutades vid start (kod ${code}):\n${seen.slice(-2000)}`));
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

/** The production worker, ready when it polls its task queue. */
export const WORKER = { script: 'worker/main.ts', name: 'Workern', readyWhen: 'worker: kö ' };
/** The production API, ready when it listens. */
export const API = { script: 'api/main.ts', name: 'API:t', readyWhen: 'Server listening at' };
