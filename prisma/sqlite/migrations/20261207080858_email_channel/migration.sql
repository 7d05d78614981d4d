-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "noticeChannel" TEXT;

-- CreateTable
CREATE TABLE "InboundMail" (
    "messageId" TEXT NOT NULL PRIMARY KEY,
    "fromAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "conversationId" TEXT,
    "ticketNumber" TEXT,
    "receivedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT,
    "conversationId" TEXT NOT NULL,
    "ticketId" TEXT,
    "messageId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Attachment_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Attachment_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "InboundMail_fromAddress_receivedAt_idx" ON "InboundMail"("fromAddress", "receivedAt");

-- CreateIndex
CREATE INDEX "Attachment_ticketId_idx" ON "Attachment"("ticketId");

-- CreateIndex
CREATE INDEX "Attachment_conversationId_idx" ON "Attachment"("conversationId");

-- CreateIndex
CREATE INDEX "Customer_email_idx" ON "Customer"("email");

-- Addresses are compared lower-cased (the support mailbox finds customers by them).
UPDATE "Customer" SET "email" = lower("email") WHERE "email" IS NOT NULL;
