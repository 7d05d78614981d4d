-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "planEnd" TEXT,
ADD COLUMN     "planStart" TEXT;

-- AlterTable
ALTER TABLE "TimeEntry" ADD COLUMN     "km" INTEGER,
ADD COLUMN     "rate" TEXT;

-- CreateTable
CREATE TABLE "SupportPackage" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "package" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "price" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "boughtOn" TEXT NOT NULL,
    "validUntil" TEXT,
    "importedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupportPackage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SupportPackage_customerId_reference_key" ON "SupportPackage"("customerId", "reference");

-- AddForeignKey
ALTER TABLE "SupportPackage" ADD CONSTRAINT "SupportPackage_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
