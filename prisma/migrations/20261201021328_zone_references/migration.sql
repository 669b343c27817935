-- CreateTable
CREATE TABLE "ZoneReference" (
    "cameraId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "capturedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "capturedBy" TEXT NOT NULL,
    "region" JSONB NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "gray" BYTEA NOT NULL,

    CONSTRAINT "ZoneReference_pkey" PRIMARY KEY ("cameraId","zoneId","version")
);
