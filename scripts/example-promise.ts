// `npm run --silent exempel`: Lessebo's promise from 2020 (test/fixtures), moved to next year so
// that it can be signed and lived through now; with `-- --idag` its period starts today instead,
// so that activities can be reported at once. Prints the body for POST /api/promises.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stockholmDateOf } from '../domain/calendar';
import { PromiseContentSchema } from '../domain/content';
import { movedToYear, startingOn } from '../domain/move-years';

const fixture = join(__dirname, '..', 'test', 'fixtures', 'lessebo-2020.json');
const content = PromiseContentSchema.parse(JSON.parse(readFileSync(fixture, 'utf8')));
const moved = process.argv.includes('--idag')
  ? startingOn(movedToYear(content, new Date().getUTCFullYear()), stockholmDateOf(Date.now()))
  : movedToYear(content, new Date().getUTCFullYear() + 1);
process.stdout.write(`${JSON.stringify({ content: moved }, null, 2)}\n`);
