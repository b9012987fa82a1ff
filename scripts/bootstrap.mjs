#!/usr/bin/env node
// Entry point of `npm start` and `npm test` on a fresh clone. Plain Node with no
// dependencies, because it runs before node_modules exists: it installs the npm
// dependencies, then hands over to the TypeScript script of the same name.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);
const scripts = { start: 'scripts/start.ts', test: 'scripts/test.ts' };
if (!scripts[command]) {
  console.error(`Okänt kommando "${command}". Använd: start | test`);
  process.exit(2);
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
const upToDate = existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
if (!upToDate) {
  console.log('→ npm-beroenden: installerar (npm ci)…');
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (npm.status !== 0) {
    console.error('✗ npm ci misslyckades; se utskriften ovan.');
    process.exit(npm.status ?? 1);
  }
} else {
  console.log('✓ npm-beroenden: redan installerade');
}

const tsx = join(root, 'node_modules', '.bin', 'tsx');
const child = spawn(tsx, [join(root, scripts[command]), ...args], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the whole process group, so the child already has it: wait for its clean
// shutdown. SIGTERM is sent to us alone and is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
