-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL,
    "tick" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("name", "tick")
);
