import type { ErrorCode } from './error-codes';

// Errors that mean "the request is wrong", never "the system is broken": the API turns them into
// 4xx answers and activities into non-retryable failures.
export type DomainErrorCode = Extract<ErrorCode, 'NOT_FOUND' | 'CONFLICT' | 'INVALID' | 'GONE'>;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
