-- CreateTable
CREATE TABLE "Maintenance" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "areas" JSONB NOT NULL,
    "services" JSONB NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "texts" JSONB,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT NOT NULL,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MaintenanceNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "maintenanceId" INTEGER NOT NULL,
    "notice" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "recipient" TEXT NOT NULL,
    "lang" TEXT NOT NULL DEFAULT 'cs',
    "sent" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MaintenanceNotice_maintenanceId_fkey" FOREIGN KEY ("maintenanceId") REFERENCES "Maintenance" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Balance" (
    "customerId" TEXT NOT NULL PRIMARY KEY,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "importedAt" DATETIME NOT NULL,
    "paymentReportedAt" DATETIME,
    "paymentTicket" TEXT,
    CONSTRAINT "Balance_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PaymentNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Maintenance_endsAt_idx" ON "Maintenance"("endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "MaintenanceNotice_maintenanceId_notice_recipient_key" ON "MaintenanceNotice"("maintenanceId", "notice", "recipient");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentNotice_customerId_month_kind_key" ON "PaymentNotice"("customerId", "month", "kind");
