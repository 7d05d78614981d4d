-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "workCategory" TEXT NOT NULL DEFAULT 'diagnostics';

-- Existing tickets the checklist marked likely customer-side are customer faults (paid).
UPDATE "Ticket" SET "workCategory" = 'customer_fault' WHERE "likelyCustomerSide" = true;

-- AlterTable
ALTER TABLE "TimeEntry" ADD COLUMN     "workedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "CalloutOffer_status_expiresAt_idx" ON "CalloutOffer"("status", "expiresAt");
