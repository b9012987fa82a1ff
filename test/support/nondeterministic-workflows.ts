// The workflows with a change deployed without patched(): the promise's workflow now waits a
// moment before it begins, so a running promise's history no longer matches. For the test of
// `npm run replay:cluster`, which must refuse it.
import { sleep } from '@temporalio/workflow';
import { promiseLifecycleWorkflow as current, type PromiseLifecycleInput } from '../../workflows/promise-lifecycle';

export { signingRoundWorkflow } from '../../workflows/signing-round';

export async function promiseLifecycleWorkflow(input: PromiseLifecycleInput) {
  await sleep('1 second');
  return current(input);
}
