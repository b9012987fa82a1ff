// The workflows the worker registers.
export { promiseLifecycleWorkflow } from './promise-lifecycle';
export { signingRoundWorkflow } from './signing-round';
export { bankIdOrderWorkflow } from './bankid-order';
export { retentionWorkflow } from './retention';
export { webhookDrainWorkflow } from './webhook-drain';
