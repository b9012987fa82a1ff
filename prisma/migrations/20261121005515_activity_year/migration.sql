-- CreateEnum
CREATE TYPE "OccurrenceKind" AS ENUM ('ACTIVITY', 'PROGRESS_REPORT');

-- AlterTable
ALTER TABLE "ActivityOccurrence" ADD COLUMN     "kind" "OccurrenceKind" NOT NULL;

-- AlterTable
ALTER TABLE "EmailOutbox" ADD COLUMN     "scheduledFor" TIMESTAMP(3);

