-- AlterTable
ALTER TABLE "OutboxItem" ADD COLUMN "segments" INTEGER;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "customerId" TEXT,
    "flow" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "flowVersion" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "sessionStartedAt" DATETIME NOT NULL,
    "sessionOpened" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Conversation_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Conversation" ("channel", "createdAt", "customerId", "flow", "flowVersion", "id", "sessionStartedAt", "state", "step", "updatedAt", "version") SELECT "channel", "createdAt", "customerId", "flow", "flowVersion", "id", "sessionStartedAt", "state", "step", "updatedAt", "version" FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE INDEX "Conversation_customerId_idx" ON "Conversation"("customerId");
CREATE TABLE "new_Message" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationId" TEXT NOT NULL,
    "ticketId" TEXT,
    "direction" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "choices" JSONB,
    "platformMessageId" TEXT,
    "status" TEXT,
    "outboxId" INTEGER,
    "outcome" TEXT,
    "opensSession" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("channel", "choices", "conversationId", "createdAt", "direction", "id", "kind", "outboxId", "platformMessageId", "status", "text", "ticketId") SELECT "channel", "choices", "conversationId", "createdAt", "direction", "id", "kind", "outboxId", "platformMessageId", "status", "text", "ticketId" FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE INDEX "Message_conversationId_createdAt_idx" ON "Message"("conversationId", "createdAt");
CREATE INDEX "Message_ticketId_createdAt_idx" ON "Message"("ticketId", "createdAt");
CREATE INDEX "Message_outboxId_idx" ON "Message"("outboxId");
CREATE INDEX "Message_createdAt_idx" ON "Message"("createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
