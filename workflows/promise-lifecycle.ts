// The entity workflow of one promise period, id promiseWorkflowId(promiseId). Started by the
// first submit (or a withdrawal or a resume); it owns the promise from SIGNING on. While DRAFT the
// text belongs to the API, which edits the records directly; submitting freezes the current
// version under a row lock. The state and every rule live in PromiseEntity; this file wires the
// messages to it.
import { setHandler } from '@temporalio/workflow';
import {
  addressCorrectedSignal,
  emailBouncedSignal,
  resendRequestedSignal,
  launchRenewalUpdate,
  promiseStateQuery,
  publishFollowUpUpdate,
  reportUpdate,
  resumeUpdate,
  reviseUpdate,
  submitUpdate,
  withdrawUpdate,
  type PromiseWorkflowState,
} from './messages';
import { PromiseEntity, type PromiseLifecycleInput } from './promise-entity';
import { onTime } from './refusals';

export type { PromiseLifecycleInput } from './promise-entity';

export async function promiseLifecycleWorkflow(input: PromiseLifecycleInput): Promise<PromiseWorkflowState> {
  const promise = new PromiseEntity(input);
  setHandler(promiseStateQuery, () => promise.view());
  setHandler(submitUpdate, (command) => promise.submit(command), { validator: onTime(promise.validateSubmit.bind(promise)) });
  setHandler(reviseUpdate, (command) => promise.revise(command), { validator: onTime(promise.validateRevise.bind(promise)) });
  setHandler(withdrawUpdate, (command) => promise.withdraw(command), { validator: onTime(promise.validateWithdraw.bind(promise)) });
  setHandler(reportUpdate, (command) => promise.report(command), { validator: onTime(promise.validateReport.bind(promise)) });
  setHandler(publishFollowUpUpdate, (command) => promise.publishFollowUp(command), {
    validator: onTime(promise.validatePublishFollowUp.bind(promise)),
  });
  setHandler(launchRenewalUpdate, (command) => promise.launchRenewal(command), {
    validator: onTime(promise.validateLaunchRenewal.bind(promise)),
  });
  setHandler(resumeUpdate, (command) => promise.resume(command), { validator: onTime(promise.validateResume.bind(promise)) });
  setHandler(addressCorrectedSignal, (event) => promise.onAddressCorrected(event));
  setHandler(resendRequestedSignal, (event) => promise.onResendRequested(event));
  setHandler(emailBouncedSignal, (event) => promise.onEmailBounced(event));
  return promise.run();
}
