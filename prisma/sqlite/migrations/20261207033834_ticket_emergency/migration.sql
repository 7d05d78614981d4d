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
    "slaMet" BOOLEAN,
    "slaWarnedAt" DATETIME,
    "slaBreachedAt" DATETIME,
    "resolutionDeadline" DATETIME,
    "resolutionMet" BOOLEAN,
    "resolutionWarnedAt" DATETIME,
    "resolutionBreachedAt" DATETIME,
    "resolvedBy" TEXT,
    "resolutionNote" TEXT,
    "satisfaction" INTEGER,
    "reannounced" INTEGER NOT NULL DEFAULT 0,
    "lastAnnouncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "workCategory" TEXT NOT NULL DEFAULT 'diagnostics',
    "emergency" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Ticket" ("answers", "category", "claimedAt", "claimedBy", "claimedByName", "conversationId", "createdAt", "customerId", "deadline", "firstReactionAt", "id", "lastAnnouncedAt", "likelyCustomerSide", "number", "reannounced", "resolutionBreachedAt", "resolutionDeadline", "resolutionMet", "resolutionNote", "resolutionWarnedAt", "resolvedAt", "resolvedBy", "satisfaction", "slaBreachedAt", "slaMet", "slaWarnedAt", "status", "summary", "tier", "updatedAt", "verified", "workCategory") SELECT "answers", "category", "claimedAt", "claimedBy", "claimedByName", "conversationId", "createdAt", "customerId", "deadline", "firstReactionAt", "id", "lastAnnouncedAt", "likelyCustomerSide", "number", "reannounced", "resolutionBreachedAt", "resolutionDeadline", "resolutionMet", "resolutionNote", "resolutionWarnedAt", "resolvedAt", "resolvedBy", "satisfaction", "slaBreachedAt", "slaMet", "slaWarnedAt", "status", "summary", "tier", "updatedAt", "verified", "workCategory" FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");
CREATE INDEX "Ticket_status_createdAt_idx" ON "Ticket"("status", "createdAt");
CREATE INDEX "Ticket_customerId_idx" ON "Ticket"("customerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
