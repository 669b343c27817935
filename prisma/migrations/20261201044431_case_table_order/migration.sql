-- CreateIndex
CREATE INDEX "Case_startedAt_number_idx" ON "Case"("startedAt", "number");

-- CreateIndex
CREATE INDEX "Case_priority_startedAt_number_idx" ON "Case"("priority", "startedAt", "number");
