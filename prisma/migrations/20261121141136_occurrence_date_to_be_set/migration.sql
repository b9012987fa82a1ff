-- AlterEnum
ALTER TYPE "ReportKind" ADD VALUE 'DATE_SET';

-- AlterTable
ALTER TABLE "ActivityOccurrence" ALTER COLUMN "plannedDueDate" DROP NOT NULL,
ALTER COLUMN "dueDate" DROP NOT NULL;

