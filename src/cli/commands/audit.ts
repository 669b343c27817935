import path from "node:path";
import type { Command } from "commander";
import { commandContext } from "../context.ts";
import { openDatabase } from "../../backend/db/database.ts";
import { verifyAuditRecord } from "../../backend/audit/audit-verify.ts";
import { createRepositories } from "../../backend/repositories/repositories.ts";

export function register(program: Command): void {
  const audit = program.command("audit").description("the full-process record (执法全过程记录)");

  audit
    .command("verify")
    .description("recompute every hash chain, anchor and evidence file hash; exit 1 and name the first broken link on failure")
    .option("--json", "print the report as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { config, log } = commandContext(cmd, "audit");
      const db = await openDatabase({ url: config.database.url, pgliteDir: path.join(config.dataDir, "pglite"), log, migrate: false });
      try {
        const report = await verifyAuditRecord(createRepositories(db).auditRecord, config.evidence.dir!);
        if (opts.json) console.log(JSON.stringify(report));
        else if (report.ok) {
          console.log(
            `audit record intact: ${report.chains} chains, ${report.entries} entries, ${report.anchors} anchors, ${report.evidenceFiles} evidence files verified`,
          );
        } else {
          const p = report.firstProblem!;
          console.log(`AUDIT RECORD BROKEN: first broken link at ${p.where}: ${p.problem}`);
          for (const q of report.problems.slice(1, 20)) console.log(`  also: ${q.where}: ${q.problem}`);
          if (report.problems.length > 20) console.log(`  … ${report.problems.length - 20} more`);
        }
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        await db.close();
      }
    });

  audit
    .command("anchor")
    .description("anchor the heads of all chains that moved since the last anchor now (the back end does this periodically)")
    .action(async (_opts, cmd: Command) => {
      const { config, log } = commandContext(cmd, "audit");
      const db = await openDatabase({ url: config.database.url, pgliteDir: path.join(config.dataDir, "pglite"), log, migrate: false });
      try {
        const a = await createRepositories(db).auditRecord.anchorMovedHeads();
        console.log(a ? `anchor ${a.id}: ${a.headCount} chain heads, hash ${a.hash}` : "nothing moved since the last anchor");
      } finally {
        await db.close();
      }
    });
}
