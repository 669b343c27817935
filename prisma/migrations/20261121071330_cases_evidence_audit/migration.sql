-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('administrator', 'operator', 'officer', 'auxiliary', 'supervisor');

-- CreateEnum
CREATE TYPE "CaseState" AS ENUM ('candidate', 'confirmed', 'rejected', 'merged', 'dispatched', 'handled', 'verified', 'closed');

-- CreateEnum
CREATE TYPE "TaskKind" AS ENUM ('enforcement', 'dissuasion');

-- CreateEnum
CREATE TYPE "Outcome" AS ENUM ('education', 'order_to_correct', 'file_case', 'no_case_filed', 'not_a_case');

-- CreateEnum
CREATE TYPE "Class721" AS ENUM ('service', 'management', 'enforcement');

-- CreateEnum
CREATE TYPE "PenaltyTreatment" AS ENUM ('first_violation_education', 'normal', 'repeated');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "UserRole" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "streets" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "grids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfficerCertificate" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "issuingAuthority" TEXT NOT NULL,
    "validFrom" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfficerCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Camera" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "district" TEXT,
    "street" TEXT,
    "grid" TEXT,
    "address" TEXT,
    "lat" DOUBLE PRECISION,
    "lng" DOUBLE PRECISION,
    "legalReviewAt" TIMESTAMPTZ(3),
    "legalReviewer" TEXT,
    "legalReviewRef" TEXT,
    "locationPublishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Camera_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "licenceNo" TEXT,
    "street" TEXT,
    "cameraId" TEXT,
    "zoneId" TEXT,
    "frontLine" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vendor" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "idNumber" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Vendor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventCode" (
    "major" TEXT NOT NULL,
    "minor" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeLimitMinutes" INTEGER NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "minorViolation" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "EventCode_pkey" PRIMARY KEY ("major","minor")
);

-- CreateTable
CREATE TABLE "RejectReason" (
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "requiresText" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RejectReason_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "candidateId" TEXT NOT NULL,
    "candidateSeq" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "edgeId" TEXT NOT NULL,
    "cameraId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "eventMajor" TEXT NOT NULL,
    "eventMinor" TEXT NOT NULL,
    "shopId" TEXT,
    "vendorId" TEXT,
    "subjectKey" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "bestScore" DOUBLE PRECISION NOT NULL,
    "objects" JSONB NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "state" "CaseState" NOT NULL DEFAULT 'candidate',
    "version" INTEGER NOT NULL DEFAULT 1,
    "penaltyEvidenceUsable" BOOLEAN NOT NULL DEFAULT false,
    "penaltyEvidenceNote" TEXT,
    "confirmedAt" TIMESTAMPTZ(3),
    "confirmedBy" TEXT,
    "rejectReason" TEXT,
    "rejectText" TEXT,
    "mergedIntoId" TEXT,
    "penaltyTreatment" "PenaltyTreatment",
    "subjectViolationCount" INTEGER,
    "dispatchedAt" TIMESTAMPTZ(3),
    "dueAt" TIMESTAMPTZ(3),
    "overdueAt" TIMESTAMPTZ(3),
    "assigneeId" TEXT,
    "taskKind" "TaskKind",
    "sendBackCount" INTEGER NOT NULL DEFAULT 0,
    "handledAt" TIMESTAMPTZ(3),
    "outcome" "Outcome",
    "outcomeReason" TEXT,
    "outcomeNote" TEXT,
    "class721" "Class721",
    "verifiedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evidence" (
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "contentType" TEXT NOT NULL,
    "storedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evidence_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "EvidenceLink" (
    "candidateId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "contentType" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvidenceLink_pkey" PRIMARY KEY ("candidateId","sha256","kind")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" BIGSERIAL NOT NULL,
    "chain" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "caseId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "evidenceSha256" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "chain" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "anchoredSeq" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("chain")
);

-- CreateTable
CREATE TABLE "AuditAnchor" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "prevHash" TEXT NOT NULL,
    "headsHash" TEXT NOT NULL,
    "headCount" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditAnchor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditAnchorHead" (
    "anchorId" INTEGER NOT NULL,
    "chain" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditAnchorHead_pkey" PRIMARY KEY ("anchorId","chain")
);

-- CreateIndex
CREATE UNIQUE INDEX "OfficerCertificate_number_key" ON "OfficerCertificate"("number");

-- CreateIndex
CREATE INDEX "OfficerCertificate_userId_idx" ON "OfficerCertificate"("userId");

-- CreateIndex
CREATE INDEX "Camera_street_idx" ON "Camera"("street");

-- CreateIndex
CREATE INDEX "Camera_grid_idx" ON "Camera"("grid");

-- CreateIndex
CREATE UNIQUE INDEX "Case_number_key" ON "Case"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Case_candidateId_key" ON "Case"("candidateId");

-- CreateIndex
CREATE INDEX "Case_state_priority_startedAt_idx" ON "Case"("state", "priority", "startedAt");

-- CreateIndex
CREATE INDEX "Case_cameraId_startedAt_idx" ON "Case"("cameraId", "startedAt");

-- CreateIndex
CREATE INDEX "Case_eventMajor_eventMinor_startedAt_idx" ON "Case"("eventMajor", "eventMinor", "startedAt");

-- CreateIndex
CREATE INDEX "Case_subjectKey_startedAt_idx" ON "Case"("subjectKey", "startedAt");

-- CreateIndex
CREATE INDEX "Case_assigneeId_state_idx" ON "Case"("assigneeId", "state");

-- CreateIndex
CREATE INDEX "Case_dueAt_idx" ON "Case"("dueAt");

-- CreateIndex
CREATE INDEX "EvidenceLink_sha256_idx" ON "EvidenceLink"("sha256");

-- CreateIndex
CREATE INDEX "AuditEntry_caseId_idx" ON "AuditEntry"("caseId");

-- CreateIndex
CREATE INDEX "AuditEntry_evidenceSha256_idx" ON "AuditEntry"("evidenceSha256");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_chain_seq_key" ON "AuditEntry"("chain", "seq");

-- AddForeignKey
ALTER TABLE "OfficerCertificate" ADD CONSTRAINT "OfficerCertificate_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditAnchorHead" ADD CONSTRAINT "AuditAnchorHead_anchorId_fkey" FOREIGN KEY ("anchorId") REFERENCES "AuditAnchor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Reference data: the national event codes CurbWatch raises, with time limits in minutes.
INSERT INTO "EventCode" ("major", "minor", "name", "timeLimitMinutes", "priority", "minorViolation", "active") VALUES
  ('05', '01', '无照经营游商 (street vending)', 60, 2, true, true),
  ('05', '04', '店外经营 (shop overflow)', 120, 1, true, true);

-- Reference data: rejection reasons (kept as training data for the detector).
INSERT INTO "RejectReason" ("code", "label", "requiresText", "active", "sortOrder") VALUES
  ('wrong_object', '误识别 (wrong object)', false, true, 1),
  ('legal_stall', '合法摊点 (legal stall)', false, true, 2),
  ('duplicate', '重复 (duplicate)', false, true, 3),
  ('bad_image', '图像不清 (bad image)', false, true, 4),
  ('other', '其他 (other, explain)', true, true, 5);

-- The append-only guard on the audit tables is a PL/pgSQL trigger, installed at
-- start-up (src/backend/audit/append-only-guard.ts) because the pg driver adapter splits
-- migration scripts at every semicolon, which a function body cannot survive.
