-- CreateEnum
CREATE TYPE "SigningMethod" AS ENUM ('EMAIL_LINK', 'BANKID');

-- CreateEnum
CREATE TYPE "BankIdOrderStatus" AS ENUM ('STARTING', 'PENDING', 'COMPLETE', 'FAILED', 'CANCELLED', 'HELD', 'REFUSED');

-- AlterTable
ALTER TABLE "Signatory" ADD COLUMN     "signingMethod" "SigningMethod" NOT NULL DEFAULT 'EMAIL_LINK';

-- AlterTable
ALTER TABLE "Signature" ADD COLUMN     "bankIdOrderId" TEXT,
ADD COLUMN     "method" "SigningMethod" NOT NULL DEFAULT 'EMAIL_LINK';

-- CreateTable
CREATE TABLE "PersonalNumberPin" (
    "promiseId" TEXT NOT NULL,
    "signatoryKey" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "lastFour" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonalNumberPin_pkey" PRIMARY KEY ("promiseId","signatoryKey")
);

-- CreateTable
CREATE TABLE "BankIdOrder" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "sameDevice" BOOLEAN NOT NULL,
    "status" "BankIdOrderStatus" NOT NULL DEFAULT 'STARTING',
    "orderRef" TEXT,
    "autoStartToken" TEXT,
    "qrStartToken" TEXT,
    "qrSecretSealed" TEXT,
    "orderStartedAt" TIMESTAMP(3),
    "hintCode" TEXT,
    "errorCode" TEXT,
    "completionSealed" TEXT,
    "cancelRequestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "BankIdOrder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BankIdOrder_orderRef_key" ON "BankIdOrder"("orderRef");

-- CreateIndex
CREATE INDEX "BankIdOrder_requestId_idx" ON "BankIdOrder"("requestId");

-- CreateIndex
CREATE UNIQUE INDEX "Signature_bankIdOrderId_key" ON "Signature"("bankIdOrderId");

-- AddForeignKey
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_bankIdOrderId_fkey" FOREIGN KEY ("bankIdOrderId") REFERENCES "BankIdOrder"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankIdOrder" ADD CONSTRAINT "BankIdOrder_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "SigningRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

