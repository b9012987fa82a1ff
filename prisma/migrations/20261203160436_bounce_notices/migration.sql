-- CreateEnum
CREATE TYPE "BounceNoticeKind" AS ENUM ('PERMANENT', 'DELAYED', 'REPLY');

-- CreateTable
CREATE TABLE "BounceNotice" (
    "id" TEXT NOT NULL,
    "outboxId" TEXT NOT NULL,
    "kind" "BounceNoticeKind" NOT NULL,
    "status" TEXT,
    "diagnostic" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "signalledAt" TIMESTAMP(3),

    CONSTRAINT "BounceNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BounceNotice_outboxId_kind_key" ON "BounceNotice"("outboxId", "kind");

-- AddForeignKey
ALTER TABLE "BounceNotice" ADD CONSTRAINT "BounceNotice_outboxId_fkey" FOREIGN KEY ("outboxId") REFERENCES "EmailOutbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;

