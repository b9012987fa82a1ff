// `npm run --silent exempel`: Lessebo's promise from 2020 (test/fixtures), moved to next year so
// that it can be signed and lived through now. Prints the body for POST /api/promises.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PromiseContentSchema } from '../domain/content';
import { movedToYear } from '../domain/move-years';

const fixture = join(__dirname, '..', 'test', 'fixtures', 'lessebo-2020.json');
const content = PromiseContentSchema.parse(JSON.parse(readFileSync(fixture, 'utf8')));
process.stdout.write(`${JSON.stringify({ content: movedToYear(content, new Date().getUTCFullYear() + 1) }, null, 2)}\n`);
