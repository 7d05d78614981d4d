-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL,
    "tick" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("name","tick")
);
