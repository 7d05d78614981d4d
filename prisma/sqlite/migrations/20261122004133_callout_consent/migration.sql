-- CreateTable
CREATE TABLE "CalloutOffer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "quotedText" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "visitAt" DATETIME,
    "cancelledAt" DATETIME
);

-- CreateTable
CREATE TABLE "Consent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "offerId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "quotedText" TEXT NOT NULL,
    "reply" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "platformMessageId" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Consent_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "CalloutOffer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CalloutOffer_ticketId_idx" ON "CalloutOffer"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "Consent_offerId_key" ON "Consent"("offerId");
