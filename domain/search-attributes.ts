import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes, type SearchAttributeUpdatePair } from '@temporalio/common';
import { midnightUtc, type IsoDate } from './calendar';
import type { PromiseStatus } from './lifecycle';

// What an operator lists promises by in Temporal (Web UI, CLI): organisations and dates, never a
// person, since Temporal keeps search attributes unencrypted. A cluster registers these names
// once (README, "Drift"); the dev servers of `npm start` and the tests register them at start.

export const PROMISE_SEARCH_ATTRIBUTES = {
  status: defineSearchAttributeKey('PromiseStatus', SearchAttributeType.KEYWORD),
  municipality: defineSearchAttributeKey('PromiseMunicipality', SearchAttributeType.KEYWORD),
  policeArea: defineSearchAttributeKey('PromisePoliceArea', SearchAttributeType.KEYWORD),
  periodEnd: defineSearchAttributeKey('PromisePeriodEnd', SearchAttributeType.DATETIME),
  needsAttention: defineSearchAttributeKey('PromiseNeedsAttention', SearchAttributeType.BOOL),
} as const;

/** Whose promise it is and for when, as the current version says. */
export interface PromiseListing {
  municipality: string;
  policeArea?: string;
  /** The period's last day. */
  periodEnd: IsoDate;
}

/** The attributes a promise should carry: status and attention always, the listing once known. */
export interface PromiseAttributes {
  status: PromiseStatus;
  needsAttention: boolean;
  listing?: PromiseListing;
}

const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/**
 * What differs between the attributes a workflow carries and those it should: upserting only
 * these keeps a history from growing an event per unchanged status. A police area the text no
 * longer names is removed (null).
 */
export function changedSearchAttributes(current: TypedSearchAttributes, wanted: PromiseAttributes): SearchAttributeUpdatePair[] {
  const keys = PROMISE_SEARCH_ATTRIBUTES;
  const desired: SearchAttributeUpdatePair[] = [
    { key: keys.status, value: wanted.status },
    { key: keys.needsAttention, value: wanted.needsAttention },
  ];
  if (wanted.listing) {
    desired.push(
      { key: keys.municipality, value: wanted.listing.municipality },
      { key: keys.policeArea, value: wanted.listing.policeArea ?? null },
      { key: keys.periodEnd, value: midnightUtc(wanted.listing.periodEnd) },
    );
  }
  return desired.filter(({ key, value }) => !same(current.get(key) ?? null, value));
}

/** `temporal server start-dev` arguments that register the attributes. */
export const searchAttributeFlags = (): string[] =>
  Object.values(PROMISE_SEARCH_ATTRIBUTES).flatMap(({ name, type }) => [
    '--search-attribute',
    `${name}=${TypedSearchAttributes.toMetadataType(type)}`,
  ]);
