-- AlterEnum
ALTER TYPE "EmailStatus" ADD VALUE 'ABANDONED';

