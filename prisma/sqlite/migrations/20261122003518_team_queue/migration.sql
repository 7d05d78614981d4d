-- CreateTable
CREATE TABLE "TeamPost" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "threadId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TeamPost_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TimeEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" TEXT NOT NULL,
    "technician" TEXT NOT NULL,
    "technicianName" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "activity" TEXT NOT NULL,
    "billable" BOOLEAN NOT NULL DEFAULT true,
    "travel" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TimeEntry_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ticket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "customerId" TEXT,
    "conversationId" TEXT,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "verified" BOOLEAN NOT NULL DEFAULT true,
    "likelyCustomerSide" BOOLEAN NOT NULL DEFAULT false,
    "answers" JSONB NOT NULL,
    "summary" TEXT NOT NULL,
    "tier" TEXT NOT NULL DEFAULT 'none',
    "deadline" DATETIME,
    "claimedBy" TEXT,
    "claimedByName" TEXT,
    "claimedAt" DATETIME,
    "firstReactionAt" DATETIME,
    "resolvedBy" TEXT,
    "resolutionNote" TEXT,
    "satisfaction" INTEGER,
    "reannounced" INTEGER NOT NULL DEFAULT 0,
    "lastAnnouncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Ticket" ("answers", "category", "conversationId", "createdAt", "customerId", "id", "likelyCustomerSide", "number", "resolvedAt", "status", "summary", "updatedAt", "verified") SELECT "answers", "category", "conversationId", "createdAt", "customerId", "id", "likelyCustomerSide", "number", "resolvedAt", "status", "summary", "updatedAt", "verified" FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");
CREATE INDEX "Ticket_status_createdAt_idx" ON "Ticket"("status", "createdAt");
CREATE INDEX "Ticket_customerId_idx" ON "Ticket"("customerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "TeamPost_platform_threadId_idx" ON "TeamPost"("platform", "threadId");

-- CreateIndex
CREATE UNIQUE INDEX "TeamPost_ticketId_platform_key" ON "TeamPost"("ticketId", "platform");

-- CreateIndex
CREATE INDEX "TimeEntry_ticketId_idx" ON "TimeEntry"("ticketId");
