-- CreateTable
CREATE TABLE "Outage" (
    "id" TEXT NOT NULL,
    "key" TEXT,
    "title" TEXT NOT NULL,
    "areas" JSONB NOT NULL,
    "services" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "texts" JSONB,
    "source" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "estimatedEndAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Outage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutageNotice" (
    "id" TEXT NOT NULL,
    "outageId" TEXT NOT NULL,
    "notice" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutageNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutageAttachment" (
    "outageId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutageAttachment_pkey" PRIMARY KEY ("outageId","conversationId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Outage_key_key" ON "Outage"("key");

-- CreateIndex
CREATE INDEX "Outage_status_idx" ON "Outage"("status");

-- CreateIndex
CREATE UNIQUE INDEX "OutageNotice_outageId_notice_recipient_key" ON "OutageNotice"("outageId", "notice", "recipient");

-- AddForeignKey
ALTER TABLE "OutageNotice" ADD CONSTRAINT "OutageNotice_outageId_fkey" FOREIGN KEY ("outageId") REFERENCES "Outage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutageAttachment" ADD CONSTRAINT "OutageAttachment_outageId_fkey" FOREIGN KEY ("outageId") REFERENCES "Outage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
