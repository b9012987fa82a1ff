-- AlterTable
ALTER TABLE "Coordinator" ADD COLUMN     "phone" TEXT;

