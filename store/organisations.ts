import type { OrganisationKind, Prisma } from '@prisma/client';
import type { Database } from './database';

// Who may see and run a promise: its creator, and the coordinators of the organisations it names
// (its municipality and its police area, as the promise writes them).

/** Makes the coordinator a member of the municipality's or police area's organisation (created on first use). */
export async function joinOrganisation(db: Database, coordinatorId: string, organisation: { kind: OrganisationKind; name: string }) {
  const name = organisation.name.trim();
  const existing = await db.organisation.findFirst({ where: { kind: organisation.kind, name: { equals: name, mode: 'insensitive' } } });
  const joined = existing ?? (await db.organisation.create({ data: { kind: organisation.kind, name } }));
  await db.organisationMember.upsert({
    where: { organisationId_coordinatorId: { organisationId: joined.id, coordinatorId } },
    create: { organisationId: joined.id, coordinatorId },
    update: {},
  });
  return joined;
}

/** The promises a coordinator may see and run, as a condition on PromiseRecord. */
export async function promisesVisibleTo(db: Database, coordinatorId: string): Promise<Prisma.PromiseRecordWhereInput> {
  const memberships = await db.organisationMember.findMany({ where: { coordinatorId }, include: { organisation: true } });
  return {
    OR: [
      { coordinatorId },
      ...memberships.map(({ organisation: { kind, name } }) =>
        kind === 'MUNICIPALITY'
          ? { municipality: { equals: name, mode: 'insensitive' as const } }
          : { policeArea: { equals: name, mode: 'insensitive' as const } },
      ),
    ],
  };
}

/**
 * The organisation a coordinator acts for in a promise: the one the promise names (its municipality,
 * else its police area), else the coordinator's first; none for a coordinator in no organisation.
 */
export function actingOrganisation<O extends { kind: OrganisationKind; name: string }>(
  organisations: O[],
  promise: { municipality: string; policeArea: string | null },
): O | undefined {
  const same = (a: string, b: string | null) => b !== null && a.localeCompare(b, 'sv', { sensitivity: 'accent' }) === 0;
  return (
    organisations.find((o) => o.kind === 'MUNICIPALITY' && same(o.name, promise.municipality)) ??
    organisations.find((o) => o.kind === 'POLICE_AREA' && same(o.name, promise.policeArea)) ??
    organisations[0]
  );
}
