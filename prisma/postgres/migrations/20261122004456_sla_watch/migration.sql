-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "slaBreachedAt" TIMESTAMP(3),
ADD COLUMN     "slaMet" BOOLEAN,
ADD COLUMN     "slaWarnedAt" TIMESTAMP(3);
