// The workflows the worker registers.
export { promiseLifecycleWorkflow } from './promise-lifecycle';
export { signingRoundWorkflow } from './signing-round';
export { retentionWorkflow } from './retention';
