-- AlterTable
ALTER TABLE "Party" ADD COLUMN     "signs" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "PriorityArea" ALTER COLUMN "problem" DROP NOT NULL;

