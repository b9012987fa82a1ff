import { DefaultFailureConverter } from '@temporalio/common';

// A failure's message and stack trace say what went wrong, and a relay's refusal names the
// address it refused: they travel as an encoded payload (through the payload codec) rather than
// in the history in clear. Temporal loads this module by its path (the workflows' bundle takes it
// too), hence a module of its own.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
