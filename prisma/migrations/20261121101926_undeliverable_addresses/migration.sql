-- AlterEnum
ALTER TYPE "SigningRequestStatus" ADD VALUE 'UNDELIVERABLE';

-- AlterEnum
ALTER TYPE "EmailStatus" ADD VALUE 'UNDELIVERABLE';

