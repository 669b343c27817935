import type { BackendModuleFactory } from "./server.ts";
import { backendGraph } from "./composition-root.ts";
import { periodicJob } from "./periodic-job.ts";
import { CaseWorkflowService } from "./services/case-workflow.service.ts";
import { CaseQueryService } from "./services/case-query.service.ts";
import { EvidenceService } from "./services/evidence.service.ts";
import { OverdueService } from "./services/overdue.service.ts";
import { AuditRecordService } from "./services/audit-record.service.ts";
import { installAppendOnlyGuard } from "./db/append-only-guard.ts";
import { caseController } from "./controllers/case.controller.ts";
import { CaseNotesService } from "./services/case-notes.service.ts";
import { evidenceController } from "./controllers/evidence.controller.ts";
import { eventsController } from "./controllers/events.controller.ts";
import { operationsController } from "./controllers/operations.controller.ts";
import { caseFileController } from "./controllers/case-file.controller.ts";
import { CaseFilePdf } from "./services/case-file-pdf.ts";
import { openApiController } from "./controllers/openapi.controller.ts";
import { systemClock } from "./services/ports/common.ts";
import { randomAccessCodes } from "./auth/opaque-token.ts";

/** The case workflow, evidence store, full-process record upkeep, SSE and the OpenAPI document. */
export const casesModule: BackendModuleFactory = (ctx) => {
  const { changes, ingestStats, evidenceStore: store, repositories } = backendGraph(ctx);
  const { config, db, log } = ctx;
  const evidenceDir = config.evidence.dir!;
  const { caseStore } = repositories;
  const evidence = new EvidenceService(caseStore, store, config.evidence.maxUploadBytes, log, systemClock);
  const workflow = new CaseWorkflowService(
    caseStore,
    changes,
    { firstViolationLookbackDays: config.cases.firstViolationLookbackDays, repeatedThreshold: config.cases.repeatedThreshold },
    systemClock,
    randomAccessCodes,
  );
  const queries = new CaseQueryService(repositories.caseReads);
  const auditRecord = new AuditRecordService(repositories.auditRecord, evidenceDir);
  const overdue = new OverdueService(caseStore, changes, systemClock);
  const jobs: { stop(): Promise<void> }[] = [];
  return {
    name: "cases",
    routes: [
      caseFileController(new CaseFilePdf(queries, repositories.caseReads, store)),
      caseController(workflow, queries, evidence, new CaseNotesService(caseStore, changes, systemClock, randomAccessCodes)),
      evidenceController(evidence, (cameraId, edgeId) => repositories.cameraOwnership.ownedBy(cameraId, edgeId)),
      eventsController(changes, (ids) => queries.assigneesOf(ids)),
      operationsController(ingestStats, auditRecord),
      openApiController(),
    ],
    async start() {
      await installAppendOnlyGuard(db.prisma);
      await changes.start();
      jobs.push(periodicJob("overdue", config.cases.overdueSweepSeconds, () => overdue.flagOverdue(), log));
      jobs.push(periodicJob("audit-anchor", config.audit.anchorIntervalSeconds, () => auditRecord.anchor(), log));
      jobs.push(periodicJob("evidence-retention", config.evidence.retentionSweepMinutes * 60, () => evidence.purgeExpired(config.evidence.retentionDays), log));
    },
    async stop() {
      await Promise.all(jobs.map((j) => j.stop()));
    },
  };
};
