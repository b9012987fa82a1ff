import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { renderDocument } from '../api/pages/document';
import { SYSTEM_ACTOR } from '../domain/actor';
import { verifyChain } from '../domain/audit-chain';
import { storedContent } from '../domain/stored-content';
import { migrate, MIGRATIONS_DIR } from '../platform/migrate';
import { projectRoot } from '../scripts/lib/provision';
import { auditChainOf, recordAudit } from '../store/audit';
import { createCoordinator } from '../store/coordinators';
import { createDatabase } from '../store/database';
import { joinOrganisation } from '../store/organisations';
import { appendVersion, promisesOf } from '../store/promises';
import { createTestDatabase } from './support/database';
import { startEmbeddedDatabaseProcess } from './support/embedded-database';
import { createLesseboDraft, lessebo } from './support/promises';

const MIGRATIONS = readdirSync(MIGRATIONS_DIR).sort();

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Tables, columns, types, nullability, defaults, indexes and enums: the schema as PostgreSQL sees it. */
async function schemaOf(url: string) {
  const columns = await query(
    url,
    `
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_app_migrations'
    ORDER BY table_name, column_name`,
  );
  const indexes = await query(
    url,
    `
    SELECT tablename, indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'public' AND tablename <> '_app_migrations' ORDER BY indexname`,
  );
  const enums = await query(
    url,
    `
    SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`,
  );
  const foreignKeys = await query(
    url,
    `
    SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' ORDER BY conname`,
  );
  return { columns, indexes, enums, foreignKeys };
}

test('the committed migrations give exactly the schema that prisma/schema.prisma describes', async () => {
  const migrated = await createTestDatabase();
  const fromSchema = await createTestDatabase();
  try {
    // Empty the second database, then build it straight from schema.prisma with Prisma's own diff.
    await query(fromSchema.url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    const sql = execFileSync(
      join(projectRoot, 'node_modules', '.bin', 'tsx'),
      ['scripts/schema-diff.ts', '--empty', 'prisma/schema.prisma'],
      {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: fromSchema.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ).toString();
    await query(fromSchema.url, sql);
    expect(await schemaOf(migrated.url)).toEqual(await schemaOf(fromSchema.url));
  } finally {
    await migrated.drop();
    await fromSchema.drop();
  }
});

test('migrating twice applies nothing the second time; a changed migration is refused', async () => {
  const database = await createTestDatabase();
  try {
    expect(await migrate(database.url)).toEqual({ applied: [], alreadyApplied: MIGRATIONS.length });
    await query(database.url, `UPDATE "_app_migrations" SET checksum = 'x'`);
    await expect(migrate(database.url)).rejects.toThrow(/har ändrats efter att den kördes/);
  } finally {
    await database.drop();
  }
});

test('the embedded database (PGlite) takes the same migrations and serves the app through pg', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'medborgarlofte-pglite-'));
  const embedded = await startEmbeddedDatabaseProcess(dir);
  try {
    expect((await migrate(embedded.url)).applied).toEqual(MIGRATIONS);
    const db = createDatabase({ url: embedded.url, poolSize: 1 });
    try {
      const { promise, actor } = await createLesseboDraft(db);
      const edited = lessebo();
      edited.title = 'Trygg i butik i Lessebo kommun 2020';
      const version = await appendVersion(db, { promiseId: promise.id, content: edited, actor, allowedStatus: 'DRAFT' });
      expect(version.number).toBe(2);
      expect(await db.signatory.count({ where: { versionId: version.id } })).toBe(8);
      await expect(db.auditEvent.deleteMany({})).rejects.toThrow(/bara för tillägg/);
    } finally {
      await db.$disconnect();
    }
  } finally {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a promise stored before the content model grew reads and takes new versions after the migration', async () => {
  const database = await createTestDatabase();
  try {
    const { promise, actor } = await createLesseboDraft(database.db);
    // Back to the schema before 20261121130448_content_model, with the promise on record.
    const migration = MIGRATIONS.find((name) => name.endsWith('_content_model'))!;
    await query(
      database.url,
      `
      ALTER TABLE "Party" DROP COLUMN "signs";
      ALTER TABLE "PriorityArea" ALTER COLUMN "problem" SET NOT NULL;
      DELETE FROM "_app_migrations" WHERE name = '${migration}';`,
    );
    expect(await migrate(database.url)).toMatchObject({ applied: [migration] });

    const parties = await database.db.party.findMany({ where: { version: { promiseId: promise.id } } });
    expect(parties.length).toBe(lessebo().parties.length);
    expect(parties.every((p) => p.signs)).toBe(true);
    const stored = await database.db.documentVersion.findFirstOrThrow({ where: { promiseId: promise.id } });
    expect(renderDocument(storedContent(stored.content)).value).toContain(lessebo().priorityAreas[0]!.problem!);

    const edited = { ...lessebo(), participants: [{ key: 'naringslivet', name: 'Näringslivet i Lessebo', kind: 'BUSINESS' as const }] };
    const version = await appendVersion(database.db, { promiseId: promise.id, content: edited, actor, allowedStatus: 'DRAFT' });
    const participants = await database.db.party.findMany({ where: { versionId: version.id, signs: false } });
    expect(participants.map((p) => p.name)).toEqual(['Näringslivet i Lessebo']);
  } finally {
    await database.drop();
  }
});

test("each commitment's one contact, stored in the columns of before, becomes its first contact", async () => {
  const database = await createTestDatabase();
  try {
    const { promise } = await createLesseboDraft(database.db);
    const contactsBefore = await database.db.commitmentContact.findMany({
      where: { commitment: { version: { promiseId: promise.id } } },
      orderBy: [{ email: 'asc' }, { commitmentId: 'asc' }],
    });
    expect(contactsBefore.length).toBeGreaterThan(0);
    // Back to the columns of before 20261121131500_commitment_contacts, the contacts in them.
    const migration = MIGRATIONS.find((name) => name.endsWith('_commitment_contacts'))!;
    await query(
      database.url,
      `
      ALTER TABLE "Commitment" ADD COLUMN "contactName" TEXT, ADD COLUMN "contactEmail" TEXT;
      UPDATE "Commitment" c SET "contactName" = cc.name, "contactEmail" = cc.email
        FROM "CommitmentContact" cc WHERE cc."commitmentId" = c.id AND cc.position = 0;
      DROP TABLE "CommitmentContact";
      DELETE FROM "_app_migrations" WHERE name = '${migration}';`,
    );
    expect(await migrate(database.url)).toMatchObject({ applied: [migration] });
    const contactsAfter = await database.db.commitmentContact.findMany({
      where: { commitment: { version: { promiseId: promise.id } } },
      orderBy: [{ email: 'asc' }, { commitmentId: 'asc' }],
    });
    expect(contactsAfter.map((c) => [c.commitmentId, c.position, c.name, c.email])).toEqual(
      contactsBefore.map((c) => [c.commitmentId, 0, c.name, c.email]),
    );
  } finally {
    await database.drop();
  }
});

test("a promise stored before organisations gets its police area from its current version, so the police area's coordinators see it", async () => {
  const database = await createTestDatabase();
  try {
    const { promise } = await createLesseboDraft(database.db);
    // Back to the schema before 20261121153205_organisations (and the later tables that refer to it), with the promise on record.
    const migration = MIGRATIONS.find((name) => name.endsWith('_organisations'))!;
    const invitations = MIGRATIONS.find((name) => name.endsWith('_colleague_invitations'))!;
    const retention = MIGRATIONS.find((name) => name.endsWith('_organisation_retention'))!;
    const webhooks = MIGRATIONS.find((name) => name.endsWith('_webhooks'))!;
    await query(
      database.url,
      `
      DROP TABLE "WebhookDelivery";
      DROP TABLE "WebhookEndpoint";
      DROP TYPE "WebhookDeliveryStatus";
      DROP TABLE "OrganisationMember";
      DROP TABLE "Organisation";
      DROP TYPE "OrganisationKind";
      ALTER TABLE "Promise" DROP COLUMN "policeArea";
      DELETE FROM "_app_migrations" WHERE name IN ('${migration}', '${invitations}', '${retention}', '${webhooks}');`,
    );
    expect(await migrate(database.url)).toMatchObject({ applied: [migration, invitations, retention, webhooks] });
    expect((await database.db.promiseRecord.findUniqueOrThrow({ where: { id: promise.id } })).policeArea).toBe(lessebo().policeArea);
    const { coordinator } = await createCoordinator(database.db, { name: 'Anna Augustsson', email: 'anna@polisen.example' });
    await joinOrganisation(database.db, coordinator.id, { kind: 'POLICE_AREA', name: lessebo().policeArea! });
    expect((await promisesOf(database.db, coordinator.id)).map((p) => p.id)).toEqual([promise.id]);
  } finally {
    await database.drop();
  }
});

test('audit rows written before issue 23 lose their personal data: origins move out, addresses become ids, keys hash them', async () => {
  const database = await createTestDatabase();
  try {
    const { promise } = await createLesseboDraft(database.db);
    // Back to the schema before 20261203021912_personal_data_retention, with rows as they were written then.
    const migration = MIGRATIONS.find((name) => name.endsWith('_personal_data_retention'))!;
    const contact = 'Lars.Altgard@lessebo.example';
    await query(
      database.url,
      `
      DROP TABLE "AuditOrigin";
      DROP TABLE "EmailAddress";
      ALTER TABLE "AuditEvent" ADD COLUMN "ipAddress" TEXT, ADD COLUMN "userAgent" TEXT;
      INSERT INTO "AuditEvent" ("promiseId", actor, action, details, "ipAddress", "userAgent", "idempotencyKey") VALUES
        ('${promise.id}', 'CONTACT:${contact}', 'ACTIVITY_REPORTED', '{"kind": "DONE"}', '198.51.100.7', 'Gammal webbläsare', NULL),
        ('${promise.id}', 'SYSTEM:outbox', 'EMAIL_SENT', '{"purpose": "ACTIVATED", "to": "${contact}"}', NULL, NULL, 'email:activated:${promise.id}:r1:${contact.toLowerCase()}'),
        ('${promise.id}', 'COORDINATOR:x', 'ADDRESS_CORRECTED', '{"previous": "${contact}", "email": "ny@lessebo.example", "signatories": []}', '198.51.100.8', NULL, NULL);
      INSERT INTO "EmailOutbox" (id, "idempotencyKey", "promiseId", recipient, purpose, subject, "messageId")
        VALUES ('${promise.id}', 'activated:${promise.id}:r1:${contact.toLowerCase()}', '${promise.id}', '${contact}', 'ACTIVATED', 'Ämne', '<m@x>');
      DELETE FROM "_app_migrations" WHERE name = '${migration}';`,
    );
    expect(await migrate(database.url)).toMatchObject({ applied: [migration] });
    const { db } = database;
    const events = await db.auditEvent.findMany({ where: { promiseId: promise.id }, orderBy: { id: 'asc' }, include: { origin: true } });
    const old = events.slice(-3);
    const reference = await db.emailAddress.findUniqueOrThrow({ where: { address: contact.toLowerCase() } });
    const corrected = await db.emailAddress.findUniqueOrThrow({ where: { address: 'ny@lessebo.example' } });
    expect(old.map((e) => [e.actor, e.details, e.origin?.ipAddress ?? null, e.origin?.userAgent ?? null])).toEqual([
      [`CONTACT:${reference.id}`, { kind: 'DONE' }, '198.51.100.7', 'Gammal webbläsare'],
      ['SYSTEM:outbox', { purpose: 'ACTIVATED', toAddressId: reference.id }, null, null],
      ['COORDINATOR:x', { previousAddressId: reference.id, addressId: corrected.id, signatories: [] }, '198.51.100.8', null],
    ]);
    const keys = [old[1]!.idempotencyKey!, (await db.emailOutbox.findUniqueOrThrow({ where: { id: promise.id } })).idempotencyKey];
    for (const key of keys) expect(key).toMatch(new RegExp(`^(email:)?activated:${promise.id}:r1:sha256-[0-9a-f]{16}$`));
    // Still append-only afterwards.
    await expect(query(database.url, `UPDATE "AuditEvent" SET action = 'X'`)).rejects.toThrow(/bara för tillägg/);
  } finally {
    await database.drop();
  }
});

test('audit rows written before the hash chain are chained by its migration, in the order they were written', async () => {
  const database = await createTestDatabase();
  try {
    const { promise } = await createLesseboDraft(database.db);
    const migration = MIGRATIONS.find((name) => name.endsWith('_audit_hash_chain'))!;
    await query(
      database.url,
      `
      DROP TRIGGER "AuditEvent_chain" ON "AuditEvent";
      DROP FUNCTION "audit_event_chain"();
      DROP FUNCTION "audit_chain_hash"(text, text, integer, timestamp, text, text, jsonb, text);
      ALTER TABLE "AuditEvent" DROP COLUMN "chainSequence", DROP COLUMN "previousHash", DROP COLUMN "hash";
      INSERT INTO "AuditEvent" ("promiseId", actor, action, details, "occurredAt") VALUES
        ('${promise.id}', 'SYSTEM:workflow', 'RESUMED', '{"text": "rad\\nrad", "ö": [1, 2.5]}', '2026-11-30 08:00:00.123'),
        ('annat-loefte', 'SYSTEM:workflow', 'RESUMED', NULL, '2026-11-30 08:00:01'),
        (NULL, 'SYSTEM:outbox', 'COORDINATOR_INVITED', '{}', '2026-11-30 08:00:02'),
        ('${promise.id}', 'COORDINATOR:x', 'WITHDRAWN', '{"reason": "Åter"}', '2026-11-30 08:00:03');
      DELETE FROM "_app_migrations" WHERE name = '${migration}';`,
    );
    expect(await migrate(database.url)).toMatchObject({ applied: [migration] });
    for (const id of [promise.id, 'annat-loefte']) {
      const chain = await auditChainOf(database.db, id);
      expect(chain.events.length).toBeGreaterThan(0);
      expect(verifyChain(chain)).toMatchObject({ intact: true, problems: [] });
    }
    const chain = await auditChainOf(database.db, promise.id);
    expect(chain.events.slice(-2).map((e) => e.action)).toEqual(['RESUMED', 'WITHDRAWN']);
    // Events after it continue the chain; a promise-less event stays outside any chain.
    await database.db.$transaction((tx) => recordAudit(tx, { promiseId: promise.id, actor: SYSTEM_ACTOR, action: 'RESUMED' }));
    expect(verifyChain(await auditChainOf(database.db, promise.id))).toMatchObject({ intact: true, events: chain.events.length + 1 });
    expect(await database.db.auditEvent.count({ where: { promiseId: null, hash: { not: null } } })).toBe(0);
    await expect(query(database.url, `UPDATE "AuditEvent" SET hash = 'x'`)).rejects.toThrow(/bara för tillägg/);
  } finally {
    await database.drop();
  }
});
