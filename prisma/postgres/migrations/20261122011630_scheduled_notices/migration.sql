-- CreateTable
CREATE TABLE "Maintenance" (
    "id" SERIAL NOT NULL,
    "areas" JSONB NOT NULL,
    "services" JSONB NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "texts" JSONB,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Maintenance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaintenanceNotice" (
    "id" TEXT NOT NULL,
    "maintenanceId" INTEGER NOT NULL,
    "notice" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "recipient" TEXT NOT NULL,
    "lang" TEXT NOT NULL DEFAULT 'cs',
    "sent" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaintenanceNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Balance" (
    "customerId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL,
    "paymentReportedAt" TIMESTAMP(3),
    "paymentTicket" TEXT,

    CONSTRAINT "Balance_pkey" PRIMARY KEY ("customerId")
);

-- CreateTable
CREATE TABLE "PaymentNotice" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Maintenance_endsAt_idx" ON "Maintenance"("endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "MaintenanceNotice_maintenanceId_notice_recipient_key" ON "MaintenanceNotice"("maintenanceId", "notice", "recipient");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentNotice_customerId_month_kind_key" ON "PaymentNotice"("customerId", "month", "kind");

-- AddForeignKey
ALTER TABLE "MaintenanceNotice" ADD CONSTRAINT "MaintenanceNotice_maintenanceId_fkey" FOREIGN KEY ("maintenanceId") REFERENCES "Maintenance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Balance" ADD CONSTRAINT "Balance_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
