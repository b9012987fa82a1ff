-- AlterEnum
CREATE TYPE "EmailStatus_new" AS ENUM ('PENDING', 'SENT', 'SUPPRESSED');
ALTER TABLE "EmailOutbox" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "EmailOutbox" ALTER COLUMN "status" TYPE "EmailStatus_new" USING ("status"::text::"EmailStatus_new");
ALTER TYPE "EmailStatus" RENAME TO "EmailStatus_old";
ALTER TYPE "EmailStatus_new" RENAME TO "EmailStatus";
DROP TYPE "EmailStatus_old";
ALTER TABLE "EmailOutbox" ALTER COLUMN "status" SET DEFAULT 'PENDING';

-- AlterTable
ALTER TABLE "EmailOutbox" ADD COLUMN     "lastAttemptAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "EmailOutbox_recipient_lastAttemptAt_idx" ON "EmailOutbox"("recipient", "lastAttemptAt");

