-- Personal data out of the append-only audit log (issue 23): where an event came from moves to
-- AuditOrigin, which retention may delete; e-mail addresses in events and reports become ids of
-- EmailAddress rows, which erasure and retention may clear. The rows already written are rewritten
-- once, here, with the append-only trigger held off for this one step.

CREATE TABLE "AuditOrigin" (
    "eventId" BIGINT NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditOrigin_pkey" PRIMARY KEY ("eventId")
);

CREATE TABLE "EmailAddress" (
    "id" TEXT NOT NULL,
    "address" TEXT,
    "erasedHash" TEXT,
    "erasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailAddress_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "AuditOrigin_occurredAt_idx" ON "AuditOrigin"("occurredAt");
CREATE UNIQUE INDEX "EmailAddress_address_key" ON "EmailAddress"("address");
CREATE UNIQUE INDEX "EmailAddress_erasedHash_key" ON "EmailAddress"("erasedHash");
ALTER TABLE "AuditOrigin" ADD CONSTRAINT "AuditOrigin_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AuditEvent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

INSERT INTO "AuditOrigin" ("eventId", "ipAddress", "userAgent", "occurredAt")
SELECT "id", "ipAddress", "userAgent", "occurredAt" FROM "AuditEvent"
WHERE "ipAddress" IS NOT NULL OR "userAgent" IS NOT NULL;

INSERT INTO "EmailAddress" ("id", "address")
SELECT gen_random_uuid()::text, address FROM (
  SELECT lower(substring("actor" FROM 9)) AS address FROM "AuditEvent" WHERE "actor" LIKE 'CONTACT:%@%'
  UNION SELECT lower(substring("reportedBy" FROM 9)) FROM "ActivityReport" WHERE "reportedBy" LIKE 'CONTACT:%@%'
  UNION SELECT lower("details"->>'to') FROM "AuditEvent" WHERE "details" ? 'to'
  UNION SELECT lower("details"->>'previous') FROM "AuditEvent" WHERE "details" ? 'previous'
  UNION SELECT lower("details"->>'email') FROM "AuditEvent" WHERE "action" = 'ADDRESS_CORRECTED' AND "details" ? 'email'
) AS found
WHERE address IS NOT NULL;


-- Idempotency keys that ended in an address (notices to a coordinator or a signatory) end in a
-- hash of it instead; later keys use a keyed one (domain/pseudonyms.ts addressTag).
CREATE FUNCTION pg_temp.key_without_address(key TEXT) RETURNS TEXT AS $$
  SELECT CASE WHEN key ~ '@[^:]*$'
    THEN regexp_replace(key, '[^:]*@[^:]*$', '') || 'sha256-' ||
      substr(encode(sha256(convert_to(lower(substring(key FROM '[^:]*@[^:]*$')), 'UTF8')), 'hex'), 1, 16)
    ELSE key END
$$ LANGUAGE sql IMMUTABLE;

UPDATE "EmailOutbox" SET "idempotencyKey" = pg_temp.key_without_address("idempotencyKey") WHERE "idempotencyKey" ~ '@[^:]*$';
UPDATE "AccessToken" SET "outboxKey" = pg_temp.key_without_address("outboxKey") WHERE "outboxKey" ~ '@[^:]*$';

ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";

UPDATE "AuditEvent" SET "idempotencyKey" = pg_temp.key_without_address("idempotencyKey") WHERE "idempotencyKey" ~ '@[^:]*$';

UPDATE "AuditEvent" e SET "actor" = 'CONTACT:' || a."id"
FROM "EmailAddress" a WHERE e."actor" LIKE 'CONTACT:%@%' AND lower(substring(e."actor" FROM 9)) = a."address";

UPDATE "AuditEvent" e SET "details" = (e."details" - 'to') || jsonb_build_object('toAddressId', a."id")
FROM "EmailAddress" a WHERE e."details" ? 'to' AND lower(e."details"->>'to') = a."address";

UPDATE "AuditEvent" e SET "details" = (e."details" - 'previous') || jsonb_build_object('previousAddressId', a."id")
FROM "EmailAddress" a WHERE e."action" = 'ADDRESS_CORRECTED' AND lower(e."details"->>'previous') = a."address";

UPDATE "AuditEvent" e SET "details" = (e."details" - 'email') || jsonb_build_object('addressId', a."id")
FROM "EmailAddress" a WHERE e."action" = 'ADDRESS_CORRECTED' AND lower(e."details"->>'email') = a."address";

ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";

UPDATE "ActivityReport" r SET "reportedBy" = 'CONTACT:' || a."id"
FROM "EmailAddress" a WHERE r."reportedBy" LIKE 'CONTACT:%@%' AND lower(substring(r."reportedBy" FROM 9)) = a."address";

ALTER TABLE "AuditEvent" DROP COLUMN "ipAddress",
DROP COLUMN "userAgent";
