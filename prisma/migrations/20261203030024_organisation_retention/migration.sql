-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "retentionAddressMonths" INTEGER,
ADD COLUMN     "retentionTechnicalDays" INTEGER;

