-- CreateIndex
CREATE INDEX "OutboxItem_status_id_idx" ON "OutboxItem"("status", "id");
