-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "sessionOpened" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "opensSession" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "outcome" TEXT;

-- AlterTable
ALTER TABLE "OutboxItem" ADD COLUMN     "segments" INTEGER;

-- CreateIndex
CREATE INDEX "Message_createdAt_idx" ON "Message"("createdAt");
