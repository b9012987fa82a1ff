import { readFileSync } from 'node:fs';
import { checkTrail } from '../api/verify-trail';
import { en } from '../api/views/texts/en';
import { sv } from '../api/views/texts/sv';
import { describeChainProblem } from '../api/views/verify-trail';

// npm run verify-trail -- <granskningslogg.json> [kedjans huvud]
// Checks a downloaded audit trail offline, as /verifiera/handelser does: every link, and that it
// reaches the head from the open data or the PDF. Exit 0: whole; 1: broken; 2: not a trail.

const [file, head] = process.argv.slice(2);
if (!file) {
  console.error('Användning: npm run verify-trail -- <granskningslogg.json> [kedjans huvud]');
  console.error('Usage: npm run verify-trail -- <audit-trail.json> [chain head]');
  process.exit(2);
}

const { problems, result } = checkTrail({ fil: readFileSync(file), huvud: head }, sv);
if (!result) {
  for (const [field, problem] of problems) console.error(`${field === 'fil' ? file : 'huvud'}: ${problem}`);
  process.exit(2);
}
for (const texts of [sv.public.verifyTrail, en.public.verifyTrail]) {
  console.log(result.intact ? texts.intact(result.events) : texts.broken);
  if (result.headAt !== undefined) console.log(texts.headFound(result.headAt));
  for (const problem of result.problems) console.log(`  ${describeChainProblem(texts.problem, problem)}`);
}
console.log(`${sv.public.verifyTrail.lastHead}: ${result.head ?? '–'}`);
process.exit(result.intact ? 0 : 1);
