import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

// The worker evaluates the workflow bundle's modules afresh for every workflow it runs or keeps
// in its cache, so whatever the workflows import costs CPU and memory per promise. Workflow code
// imports only the pure rules it uses: no schemas (zod builds every schema at load), and nothing
// that touches the database, HTTP or e-mail (those are the activities' and the API's).

test('the workflow bundle holds the workflows and the pure rules they use, and no zod, database, HTTP or e-mail code', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  const modules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"/gm)].map((match) => match[1]!);
  // Files of this project (webpack names the SDK's ignored placeholders "?…").
  const ours = modules.filter((path) => path.startsWith('./') && !path.startsWith('./node_modules/'));
  const packages = new Set(modules.filter((path) => path.startsWith('./node_modules/')).map((path) => path.split('/')[2]));

  expect(ours).toContain('./workflows/promise-lifecycle.ts');
  expect(ours.filter((path) => !/^\.\/(workflows|domain)\//.test(path))).toEqual([]);
  for (const heavy of ['zod', '@prisma', 'pg', 'fastify', 'preact', 'nodemailer']) expect(packages).not.toContain(heavy);
});
