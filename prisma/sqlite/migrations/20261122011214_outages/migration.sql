-- CreateTable
CREATE TABLE "Outage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT,
    "title" TEXT NOT NULL,
    "areas" JSONB NOT NULL,
    "services" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "texts" JSONB,
    "source" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "estimatedEndAt" DATETIME,
    "resolvedAt" DATETIME,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OutageNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "outageId" TEXT NOT NULL,
    "notice" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutageNotice_outageId_fkey" FOREIGN KEY ("outageId") REFERENCES "Outage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutageAttachment" (
    "outageId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("outageId", "conversationId"),
    CONSTRAINT "OutageAttachment_outageId_fkey" FOREIGN KEY ("outageId") REFERENCES "Outage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Outage_key_key" ON "Outage"("key");

-- CreateIndex
CREATE INDEX "Outage_status_idx" ON "Outage"("status");

-- CreateIndex
CREATE UNIQUE INDEX "OutageNotice_outageId_notice_recipient_key" ON "OutageNotice"("outageId", "notice", "recipient");
