-- AlterTable
ALTER TABLE "Camera" ADD COLUMN     "credentialsSealed" TEXT,
ADD COLUMN     "edgeId" TEXT,
ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "model" TEXT,
ADD COLUMN     "sampling" JSONB,
ADD COLUMN     "shopIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "streamUrl" TEXT,
ADD COLUMN     "zones" JSONB;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "accessCodeHash" TEXT,
ADD COLUMN     "accessCodeIssuedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "mustChangePassword" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "passwordChangedAt" TIMESTAMPTZ(3),
ADD COLUMN     "passwordHash" TEXT,
ADD COLUMN     "username" TEXT;

-- Existing users (created before logins existed) log in with their id as username.
UPDATE "User" SET "username" = "id" WHERE "username" IS NULL;
ALTER TABLE "User" ALTER COLUMN "username" SET NOT NULL;

-- CreateTable
CREATE TABLE "Session" (
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "EdgeWorker" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enrollTokenHash" TEXT,
    "enrollExpiresAt" TIMESTAMPTZ(3),
    "enrolledAt" TIMESTAMPTZ(3),
    "apiTokenHash" TEXT,
    "mqttPasswordHash" TEXT,
    "mosquittoHash" TEXT,
    "configRevision" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EdgeWorker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartyStatement" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "contact" TEXT,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,

    CONSTRAINT "PartyStatement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "EdgeWorker_enrollTokenHash_key" ON "EdgeWorker"("enrollTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "EdgeWorker_apiTokenHash_key" ON "EdgeWorker"("apiTokenHash");

-- CreateIndex
CREATE INDEX "PartyStatement_caseId_idx" ON "PartyStatement"("caseId");

-- CreateIndex
CREATE INDEX "Camera_edgeId_idx" ON "Camera"("edgeId");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
