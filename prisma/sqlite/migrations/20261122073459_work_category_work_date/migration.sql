-- AlterTable
ALTER TABLE "TimeEntry" ADD COLUMN "workedAt" DATETIME;

-- AlterTable (written by hand: `migrate diff` redefines the whole table for this; an added
-- column with a default is the same schema without copying every ticket)
ALTER TABLE "Ticket" ADD COLUMN "workCategory" TEXT NOT NULL DEFAULT 'diagnostics';

-- Existing tickets the checklist marked likely customer-side are customer faults (paid).
UPDATE "Ticket" SET "workCategory" = 'customer_fault' WHERE "likelyCustomerSide" = 1;

-- CreateIndex
CREATE INDEX "CalloutOffer_status_expiresAt_idx" ON "CalloutOffer"("status", "expiresAt");
