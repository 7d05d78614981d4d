-- CreateTable
CREATE TABLE "CalloutOffer" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "quotedText" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "visitAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "CalloutOffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Consent" (
    "id" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "quotedText" TEXT NOT NULL,
    "reply" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "platformMessageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CalloutOffer_ticketId_idx" ON "CalloutOffer"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "Consent_offerId_key" ON "Consent"("offerId");

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "CalloutOffer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
