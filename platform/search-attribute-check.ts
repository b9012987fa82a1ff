import type { OperatorService } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { PROMISE_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { ConfigError } from './config';

// A worker on a namespace that lacks the promises' search attributes would take work and fail
// every workflow task on BadSearchAttributes, for ever: promises frozen, submits hanging. So the
// worker and the API ask the namespace at start and refuse, naming what is missing and the
// commands that register it.

interface Where {
  address: string;
  namespace: string;
}

/** The promises' search attributes that the namespace lacks or has with another type, as "Name (Type)". */
export async function missingSearchAttributes(operator: OperatorService, namespace: string): Promise<string[]> {
  const { customAttributes } = await operator.listSearchAttributes({ namespace });
  return Object.values(PROMISE_SEARCH_ATTRIBUTES)
    .filter(({ name, type }) => customAttributes?.[name] !== encodeSearchAttributeIndexedValueType(type))
    .map(({ name, type }) => `${name} (${TypedSearchAttributes.toMetadataType(type)})`);
}

/** The CLI commands that register every one of them (the CLI takes one name per type), joined to run as one line. */
export function registrationCommands({ address, namespace }: Where): string {
  return Object.values(PROMISE_SEARCH_ATTRIBUTES)
    .map(
      ({ name, type }) =>
        `temporal operator search-attribute create --address ${address} --namespace ${namespace} --name ${name} --type ${TypedSearchAttributes.toMetadataType(type)}`,
    )
    .join(' && ');
}

/**
 * Refuses to go on when the namespace lacks an attribute. A namespace that does not let us list
 * them (Temporal Cloud with a narrow API key) is let through with a warning: the README says how
 * to register them there.
 */
export async function requireSearchAttributes(operator: OperatorService, where: Where, warn: (line: string) => void): Promise<void> {
  let missing: string[];
  try {
    missing = await missingSearchAttributes(operator, where.namespace);
  } catch (error) {
    warn(
      `varning: kunde inte läsa namnrymden ${where.namespace}s sökattribut (${error instanceof Error ? error.message : String(error)}); ` +
        'se till att de är registrerade (README, "Drift").',
    );
    return;
  }
  if (missing.length === 0) return;
  throw new ConfigError(
    `Namnrymden ${where.namespace} på ${where.address} saknar sökattributen ${missing.join(', ')}; ` +
      `utan dem fastnar varje löfte. Registrera dem först: ${registrationCommands(where)}`,
  );
}
