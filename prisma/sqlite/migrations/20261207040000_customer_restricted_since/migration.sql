-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "restrictedSince" TEXT;
