-- CreateTable
CREATE TABLE "IntakeDeadLetter" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "topic" TEXT NOT NULL,
    "candidateId" TEXT,
    "seq" INTEGER,
    "cameraId" TEXT,
    "edgeId" TEXT,
    "reason" TEXT NOT NULL,
    "payload" TEXT NOT NULL,

    CONSTRAINT "IntakeDeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IntakeDeadLetter_at_idx" ON "IntakeDeadLetter"("at");
