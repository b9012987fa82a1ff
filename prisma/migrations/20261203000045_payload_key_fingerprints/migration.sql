-- CreateTable
CREATE TABLE "PayloadKeyFingerprint" (
    "id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PayloadKeyFingerprint_pkey" PRIMARY KEY ("id")
);

