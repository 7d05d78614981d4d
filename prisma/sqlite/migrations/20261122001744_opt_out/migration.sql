-- CreateTable
CREATE TABLE "OptOut" (
    "conversationId" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
