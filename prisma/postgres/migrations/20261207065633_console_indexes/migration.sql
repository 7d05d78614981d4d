-- CreateIndex
CREATE INDEX "Ticket_tier_idx" ON "Ticket"("tier");

-- CreateIndex
CREATE INDEX "Ticket_claimedBy_claimedByName_idx" ON "Ticket"("claimedBy", "claimedByName");

-- CreateIndex
CREATE INDEX "Ticket_emergency_idx" ON "Ticket"("emergency");

-- CreateIndex
CREATE INDEX "Ticket_workCategory_idx" ON "Ticket"("workCategory");
