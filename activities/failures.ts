import { ApplicationFailure } from '@temporalio/activity';
import { DomainError } from '../domain/errors';

/** A DomainError is a fact about the request: retrying cannot help, so the workflow hears at once. */
export async function domainFailuresAreFinal<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof DomainError) throw ApplicationFailure.nonRetryable(error.message, error.code);
    throw error;
  }
}
