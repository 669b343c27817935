-- CreateTable
CREATE TABLE "EdgeNode" (
    "id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" TEXT,
    "cameras" TEXT[],
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EdgeNode_pkey" PRIMARY KEY ("id")
);
