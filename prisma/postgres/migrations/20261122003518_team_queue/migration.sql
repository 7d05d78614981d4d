-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "claimedByName" TEXT,
ADD COLUMN     "deadline" TIMESTAMP(3),
ADD COLUMN     "firstReactionAt" TIMESTAMP(3),
ADD COLUMN     "lastAnnouncedAt" TIMESTAMP(3),
ADD COLUMN     "reannounced" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "resolutionNote" TEXT,
ADD COLUMN     "resolvedBy" TEXT,
ADD COLUMN     "satisfaction" INTEGER,
ADD COLUMN     "tier" TEXT NOT NULL DEFAULT 'none';

-- CreateTable
CREATE TABLE "TeamPost" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "threadId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimeEntry" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "technician" TEXT NOT NULL,
    "technicianName" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "activity" TEXT NOT NULL,
    "billable" BOOLEAN NOT NULL DEFAULT true,
    "travel" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TimeEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TeamPost_platform_threadId_idx" ON "TeamPost"("platform", "threadId");

-- CreateIndex
CREATE UNIQUE INDEX "TeamPost_ticketId_platform_key" ON "TeamPost"("ticketId", "platform");

-- CreateIndex
CREATE INDEX "TimeEntry_ticketId_idx" ON "TimeEntry"("ticketId");

-- AddForeignKey
ALTER TABLE "TeamPost" ADD CONSTRAINT "TeamPost_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimeEntry" ADD CONSTRAINT "TimeEntry_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
