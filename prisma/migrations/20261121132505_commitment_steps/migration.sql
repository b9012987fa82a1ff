-- AlterEnum
ALTER TYPE "CommitmentShape" ADD VALUE 'STEPS';

