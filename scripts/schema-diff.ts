// `DATABASE_URL=… tsx scripts/schema-diff.ts <from.prisma | --empty> <to.prisma>`: prints the SQL
// that takes a database described by the first Prisma schema to the second. Prisma 7's CLI would
// run its native schema engine, downloaded on first use; this runs the same engine's WebAssembly
// build (@prisma/schema-engine-wasm, pinned to the CLI's engine version in package.json), offline.
// The engine connects to a database (any one: it only asks it about itself) before it diffs.
// Used by `npm run db:migration` and by test/migrations.test.ts.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffTarget } from '@prisma/schema-engine-wasm';
import { projectRoot, runPrismaCli } from './lib/provision';

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** The engine's wasm-bindgen glue is an ES module importing its .wasm file, which Node cannot; it is instantiated here, once per process. */
async function instantiateSchemaEngine(): Promise<Bindings> {
  const bindings: Bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmFile = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmFile)), {
    './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings;
}
let schemaEngine: Promise<Bindings> | undefined;

/** The engine aborts on an invalid schema without saying why; Prisma's validator does say. */
const validateSchema = (path: string) => runPrismaCli(['validate', '--schema', path], `${path} är inte ett giltigt Prisma-schema`);

const schemaTarget = (path: string): DiffTarget => ({
  tag: 'schemaDatamodel',
  files: [{ path: relative(projectRoot, path), content: readFileSync(path, 'utf8') }],
});

/** The SQL from `from` (a schema file, or undefined for an empty database) to the schema file `to`. */
export async function diffSchemas(options: { from: string | undefined; to: string; databaseUrl: string }): Promise<string> {
  const { from, to } = options;
  for (const path of from === undefined ? [to] : [from, to]) validateSchema(path);
  const bindings = await (schemaEngine ??= instantiateSchemaEngine());
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: options.databaseUrl }));
  const ignoreEngineLog = () => {};
  const engine = await bindings.SchemaEngine.new({ datamodels: [[to, readFileSync(to, 'utf8')]] }, ignoreEngineLog, adapter);
  try {
    const result = await engine.diff({
      from: from === undefined ? { tag: 'empty' } : schemaTarget(from),
      to: schemaTarget(to),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}

if (require.main === module) {
  const [from, to] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!from || !to || !databaseUrl) {
    console.error('Använd: DATABASE_URL=<en databas> tsx scripts/schema-diff.ts <från.prisma | --empty> <till.prisma>');
    process.exit(2);
  }
  diffSchemas({ from: from === '--empty' ? undefined : from, to, databaseUrl }).then(
    (sql) => process.stdout.write(sql),
    (error: unknown) => {
      console.error(`✗ Schemaskillnaden kunde inte beräknas: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
