-- AlterTable
ALTER TABLE "Promise" ADD COLUMN     "attentionReason" TEXT,
ADD COLUMN     "attentionSince" TIMESTAMP(3);

