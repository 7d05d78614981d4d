-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "resolutionBreachedAt" TIMESTAMP(3),
ADD COLUMN     "resolutionDeadline" TIMESTAMP(3),
ADD COLUMN     "resolutionMet" BOOLEAN,
ADD COLUMN     "resolutionWarnedAt" TIMESTAMP(3);
