-- CreateTable
CREATE TABLE "CommitmentContact" (
    "id" TEXT NOT NULL,
    "commitmentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "email" TEXT NOT NULL,

    CONSTRAINT "CommitmentContact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CommitmentContact_email_idx" ON "CommitmentContact"("email");

-- CreateIndex
CREATE UNIQUE INDEX "CommitmentContact_commitmentId_position_key" ON "CommitmentContact"("commitmentId", "position");

-- AddForeignKey
ALTER TABLE "CommitmentContact" ADD CONSTRAINT "CommitmentContact_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "Commitment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Each commitment's one contact moves over as its first; then the old columns go.
INSERT INTO "CommitmentContact" ("id", "commitmentId", "position", "name", "email")
SELECT gen_random_uuid()::text, "id", 0, COALESCE("contactName", "contactEmail"), "contactEmail"
FROM "Commitment" WHERE "contactEmail" IS NOT NULL;

-- AlterTable
ALTER TABLE "Commitment" DROP COLUMN "contactEmail",
DROP COLUMN "contactName";
