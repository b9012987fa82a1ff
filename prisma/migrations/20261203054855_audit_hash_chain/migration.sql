-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "chainSequence" INTEGER,
ADD COLUMN     "hash" TEXT,
ADD COLUMN     "previousHash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_promiseId_chainSequence_key" ON "AuditEvent"("promiseId", "chainSequence");


-- The hash of one event of a promise's chain: SHA-256 (hex) over a JSON array of the hash before
-- it ('' for the first), the promise, the position, the time (UTC, ms), who, what and the details
-- as jsonb prints them. A JSON array leaves no doubt where one field ends; domain/audit-chain.ts
-- computes the same from a downloaded trail.
CREATE FUNCTION "audit_chain_hash"(previous text, promise text, sequence integer, occurred timestamp(3),
                                   actor text, action text, details jsonb, idempotency_key text)
RETURNS text AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    previous, promise, sequence, to_char(occurred, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    actor, action, details, idempotency_key)::text, 'UTF8')), 'hex')
$$ LANGUAGE sql IMMUTABLE;

-- Fills the chain on insert, under a lock per promise held to the end of the transaction, so two
-- events of one promise written at once are chained one after the other, never both after the
-- same event (the unique position would refuse that as well).
CREATE FUNCTION "audit_event_chain"() RETURNS trigger AS $$
DECLARE
  last_event record;
BEGIN
  IF NEW."promiseId" IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('audit-chain:' || NEW."promiseId", 0));
  SELECT "chainSequence", "hash" INTO last_event FROM "AuditEvent"
    WHERE "promiseId" = NEW."promiseId" AND "chainSequence" IS NOT NULL
    ORDER BY "chainSequence" DESC LIMIT 1;
  NEW."chainSequence" := COALESCE(last_event."chainSequence", 0) + 1;
  NEW."previousHash" := COALESCE(last_event."hash", '');
  NEW."hash" := "audit_chain_hash"(NEW."previousHash", NEW."promiseId", NEW."chainSequence", NEW."occurredAt",
                                   NEW."actor", NEW."action", NEW."details", NEW."idempotencyKey");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_chain"
  BEFORE INSERT ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_chain"();

-- The events written before: chained in the order they were written, once, here.
ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";
DO $$
DECLARE
  event record;
  previous text := '';
  current_promise text := NULL;
  position integer := 0;
BEGIN
  FOR event IN SELECT * FROM "AuditEvent" WHERE "promiseId" IS NOT NULL ORDER BY "promiseId", "id" LOOP
    IF current_promise IS DISTINCT FROM event."promiseId" THEN
      current_promise := event."promiseId";
      previous := '';
      position := 0;
    END IF;
    position := position + 1;
    UPDATE "AuditEvent" SET "chainSequence" = position, "previousHash" = previous,
      "hash" = "audit_chain_hash"(previous, event."promiseId", position, event."occurredAt",
                                  event."actor", event."action", event."details", event."idempotencyKey")
      WHERE "id" = event."id"
      RETURNING "hash" INTO previous;
  END LOOP;
END $$;
ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";
