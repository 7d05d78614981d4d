-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "emergency" BOOLEAN NOT NULL DEFAULT false;
