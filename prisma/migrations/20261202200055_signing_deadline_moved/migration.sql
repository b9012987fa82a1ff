-- AlterTable
ALTER TABLE "SigningRound" ADD COLUMN     "deadline" TIMESTAMP(3);

