// `npm run bench:profile -- <file.cpuprofile>`: where a process spent its CPU, from a profile that
// `BENCH_PROFILE=<dir> npm run bench` wrote: self time per package (or Node's own work), busy time
// only, the largest first. What the README's performance section cites comes from here.
import { readFileSync } from 'node:fs';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a frame's code belongs to: an npm package, a folder of this project, or what V8 calls it. */
function ownerOf(frame: { functionName: string; url: string }): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (inPackage) return inPackage[1]!;
  if (frame.url.startsWith('wasm://')) return 'WebAssembly (i API:t och workern: Prismas frågekompilator)';
  const inProject = /\/(workflows|activities|api|store|domain|platform|worker)\//.exec(frame.url);
  if (inProject) return `projektet: ${inProject[1]}/`;
  if (/workflow-bundle-/.test(frame.url)) return 'projektet: arbetsflödespaketet';
  return frame.url.startsWith('node:') ? 'Node' : frame.functionName || frame.url || '(okänt)';
}

const file = process.argv[2];
if (!file) {
  console.error('Ange en .cpuprofile-fil, t.ex. npm run bench:profile -- /tmp/profiler/CPU.….cpuprofile');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const byOwner = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const frame = nodes.get(id)!.callFrame;
  if (frame.functionName === '(idle)') return;
  const owner = ownerOf(frame);
  byOwner.set(owner, (byOwner.get(owner) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const busy = [...byOwner.values()].reduce((sum, us) => sum + us, 0);
console.log(`${(busy / 1000).toFixed(0)} ms CPU (utan vila)`);
for (const [owner, us] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${owner}`);
}
