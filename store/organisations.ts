import type { OrganisationKind, Prisma } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { recordAudit } from './audit';
import { coordinatorByEmail } from './sessions';
import type { Database, Tx } from './database';

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

/** The promises an organisation runs (those that name it), as a condition on PromiseRecord. */
export const promisesOfOrganisation = ({ kind, name }: { kind: OrganisationKind; name: string }): Prisma.PromiseRecordWhereInput =>
  kind === 'MUNICIPALITY'
    ? { municipality: { equals: name, mode: 'insensitive' as const } }
    : { policeArea: { equals: name, mode: 'insensitive' as const } };

/** The promises a coordinator may see and run, as a condition on PromiseRecord. */
export async function promisesVisibleTo(db: Database, coordinatorId: string): Promise<Prisma.PromiseRecordWhereInput> {
  const memberships = await db.organisationMember.findMany({ where: { coordinatorId }, include: { organisation: true } });
  return { OR: [{ coordinatorId }, ...memberships.map(({ organisation }) => promisesOfOrganisation(organisation))] };
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

/** The organisations a coordinator belongs to, each with its coordinators and who invited them. */
export const colleaguesOf = (db: Database, coordinatorId: string) =>
  db.organisation.findMany({
    where: { members: { some: { coordinatorId } } },
    orderBy: { name: 'asc' },
    include: {
      members: { orderBy: { createdAt: 'asc' }, include: { coordinator: true, invitedBy: { select: { name: true } } } },
    },
  });

/** The inviting coordinator's membership of the organisation; NOT_FOUND for one they do not belong to. */
export async function membershipOf(tx: Tx, organisationId: string, coordinatorId: string) {
  const membership = await tx.organisationMember.findUnique({
    where: { organisationId_coordinatorId: { organisationId, coordinatorId } },
    include: { organisation: true, coordinator: true },
  });
  if (!membership) throw new DomainError('NOT_FOUND', 'Du är inte samordnare för den organisationen.');
  return membership;
}

/**
 * A coordinator invites a colleague into one of their own organisations: the colleague (found by
 * address whatever its case, or created) becomes a member, and the invitation is audited by ids.
 */
export async function inviteColleague(
  db: Database,
  input: { organisationId: string; name: string; email: string; phone?: string; actor: Actor },
) {
  return db.$transaction(async (tx) => {
    const { organisation, coordinator: inviter } = await membershipOf(tx, input.organisationId, input.actor.id);
    const known = await coordinatorByEmail(tx, input.email);
    const coordinator = known ?? (await tx.coordinator.create({ data: { name: input.name, email: input.email, phone: input.phone } }));
    const already = await tx.organisationMember.findUnique({
      where: { organisationId_coordinatorId: { organisationId: organisation.id, coordinatorId: coordinator.id } },
    });
    if (already) throw new DomainError('CONFLICT', `${coordinator.name} är redan samordnare för ${organisation.name}.`);
    await tx.organisationMember.create({
      data: { organisationId: organisation.id, coordinatorId: coordinator.id, invitedById: inviter.id },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'COORDINATOR_INVITED',
      details: { organisationId: organisation.id, organisation: organisation.name, coordinatorId: coordinator.id },
    });
    return { coordinator, organisation, inviter };
  });
}

/**
 * An invitation taken back: the colleague is no longer a member of the organisation. One left in no
 * organisation at all also loses the sign-in links not yet used (they expire now) and every session.
 * Only invitations made in the web app are taken back here, never one's own membership. Undefined
 * when there is no such invitation.
 */
export async function removeColleague(db: Database, input: { organisationId: string; coordinatorId: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const { organisation } = await membershipOf(tx, input.organisationId, input.actor.id);
    const where = { organisationId_coordinatorId: { organisationId: organisation.id, coordinatorId: input.coordinatorId } };
    const membership = await tx.organisationMember.findUnique({ where, include: { coordinator: true } });
    if (!membership || membership.invitedById === null || input.coordinatorId === input.actor.id) return undefined;
    await tx.organisationMember.delete({ where });
    if ((await tx.organisationMember.count({ where: { coordinatorId: input.coordinatorId } })) === 0) {
      const now = new Date();
      await tx.signInLink.updateMany({
        where: { coordinatorId: input.coordinatorId, usedAt: null, expiresAt: { gt: now } },
        data: { expiresAt: now },
      });
      await tx.coordinatorSession.updateMany({ where: { coordinatorId: input.coordinatorId, endedAt: null }, data: { endedAt: now } });
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'COORDINATOR_REMOVED',
      details: { organisationId: organisation.id, organisation: organisation.name, coordinatorId: input.coordinatorId },
    });
    return { name: membership.coordinator.name, organisation: organisation.name };
  });
}

/** Every organisation with the coordinators who answer for it, for the privacy notice. */
export const controllersOf = (db: Database) =>
  db.organisation.findMany({
    orderBy: [{ kind: 'asc' }, { name: 'asc' }],
    select: {
      id: true,
      kind: true,
      name: true,
      retentionTechnicalDays: true,
      retentionAddressMonths: true,
      members: { orderBy: { createdAt: 'asc' }, select: { coordinator: { select: { name: true, email: true, phone: true } } } },
    },
  });

/**
 * A coordinator shortens how long personal data is kept for their organisation's promises (null:
 * the installation's limit); recorded in the audit log.
 */
export async function setOrganisationRetention(
  db: Database,
  input: { organisationId: string; retentionTechnicalDays: number | null; retentionAddressMonths: number | null; actor: Actor },
) {
  return db.$transaction(async (tx) => {
    const { organisation } = await membershipOf(tx, input.organisationId, input.actor.id);
    const { retentionTechnicalDays, retentionAddressMonths } = input;
    await tx.organisation.update({ where: { id: organisation.id }, data: { retentionTechnicalDays, retentionAddressMonths } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'RETENTION_CHANGED',
      details: { organisationId: organisation.id, organisation: organisation.name, retentionTechnicalDays, retentionAddressMonths },
    });
    return organisation;
  });
}

/** The organisations a coordinator belongs to, with their retention limits. */
export const retentionOf = (db: Database, coordinatorId: string) =>
  db.organisation.findMany({
    where: { members: { some: { coordinatorId } } },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, retentionTechnicalDays: true, retentionAddressMonths: true },
  });
