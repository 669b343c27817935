/**
 * PostgreSQL's own CPU per candidate for each statement of an intake batch, without MQTT,
 * edges or the back end's event loop in the way: batches of new candidates (each with one
 * snapshot link) go through the real intake repositories on one connection, and the CPU of
 * that connection's server process is read from /proc around every statement.
 *
 *   npm run bench:ingest-sql -- [--batch 400] [--batches 50] [--json]
 *
 * Prints microseconds of server CPU (and of wall time) per candidate for: the ownership read
 * (cases, cameras and chain heads, locked), the case writes (new cases, newer messages,
 * evidence links), the record (entries and heads) and the commit.
 */
import pg from "pg";
import type { CandidateEvent } from "../src/contracts/index.ts";
import { openDatabase, rawSqlOf } from "../src/backend/db/database.ts";
import { auditEntryFor } from "../src/backend/ingest/batch-writer.ts";
import { coalesceBySituation } from "../src/backend/ingest/candidate-message.ts";
import { createRepositories } from "../src/backend/repositories/repositories.ts";
import { benchCandidate } from "./bench-candidate.ts";
import { processCpuSeconds } from "./cpu-time.ts";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const batchSize = opt("batch", 400);
const batches = opt("batches", 50);
const json = args.includes("--json");
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `cw_bench_sql_${Date.now().toString(36)}`;
const dbUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(q);
  await c.end();
}

const stages = ["begin", "ownership", "cases", "record", "commit"] as const;
type Stage = (typeof stages)[number];

const candidate = (n: number): CandidateEvent => benchCandidate("bench-edge", `bench-cam${n % 16}`, `bench-sql-${n}`);

async function main(): Promise<void> {
  await admin(`CREATE DATABASE "${dbName}"`);
  try {
    const db = await openDatabase({ url: dbUrl, pgliteDir: "memory://" });
    const repos = createRepositories(db);
    await db.close();
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const serverPid = Number((await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    const sql = rawSqlOf(client);
    const cpu = Object.fromEntries(stages.map((s) => [s, 0])) as Record<Stage, number>;
    const wall = Object.fromEntries(stages.map((s) => [s, 0])) as Record<Stage, number>;
    let n = 0;
    for (let b = 0; b < batches; b++) {
      const events = Array.from({ length: batchSize }, () => candidate(n++));
      let c0 = processCpuSeconds(serverPid);
      let w0 = performance.now();
      const done = (s: Stage) => {
        const c1 = processCpuSeconds(serverPid);
        const w1 = performance.now();
        cpu[s] += c1 - c0;
        wall[s] += w1 - w0;
        c0 = c1;
        w0 = w1;
      };
      await client.query("BEGIN");
      done("begin");
      const facts = await repos.intakeOwnership.facts(sql, events);
      done("ownership");
      const applied = await repos.ingest.applyBatch(sql, coalesceBySituation(events), { cases: new Map(), cameras: new Map() });
      done("cases");
      await repos.audit.append(sql, applied.applied.map(auditEntryFor), new Date(), facts.chainHeads);
      done("record");
      await client.query("COMMIT");
      done("commit");
    }
    await client.end();
    const total = batchSize * batches;
    const perCandidate = (x: Record<Stage, number>, scale: number) => Object.fromEntries(stages.map((s) => [s, Math.round((x[s] / total) * scale * 10) / 10]));
    const report = { batchSize, batches, serverCpuUsPerCandidate: perCandidate(cpu, 1e6), wallUsPerCandidate: perCandidate(wall, 1e3) };
    if (json) console.log(JSON.stringify(report));
    else {
      console.log(`${total} candidates in ${batches} batches of ${batchSize}; microseconds per candidate`);
      console.log("stage      server CPU   wall");
      for (const s of stages)
        console.log(`${s.padEnd(10)} ${String(report.serverCpuUsPerCandidate[s]).padStart(10)} ${String(report.wallUsPerCandidate[s]).padStart(6)}`);
    }
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
}

await main();
