-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "resolutionBreachedAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "resolutionDeadline" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "resolutionMet" BOOLEAN;
ALTER TABLE "Ticket" ADD COLUMN "resolutionWarnedAt" DATETIME;
