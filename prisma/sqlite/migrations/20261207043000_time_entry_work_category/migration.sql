-- AlterTable
ALTER TABLE "TimeEntry" ADD COLUMN "workCategory" TEXT;
