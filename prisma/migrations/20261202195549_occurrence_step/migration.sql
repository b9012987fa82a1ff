-- AlterTable
ALTER TABLE "ActivityOccurrence" ADD COLUMN     "step" INTEGER;

