import path from "node:path";
import type { Command } from "commander";
import { commandContext } from "../context.ts";
import { openDatabase } from "../../backend/db/database.ts";
import { userRoles, type UserRole } from "../../backend/http/actor.ts";
import { hashPassword, passwordProblem } from "../../backend/auth/password-hashing.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** `curbwatch users add`: accounts for automation and recovery, with the password on stdin (never argv, which `ps` shows). */
export function register(program: Command): void {
  const users = program.command("users").description("manage user accounts directly in the database (automation, recovery)");
  users
    .command("add")
    .description("create or reset a user; the password is read from stdin")
    .requiredOption("--username <name>", "login name (letters, digits, _ . : -)")
    .requiredOption("--role <role>", `one of ${userRoles.join(", ")}`)
    .option("--name <display>", "display name")
    .option("--password-stdin", "read the password from standard input")
    .option("--must-change", "force a password change at first login")
    .action(async (opts: { username: string; role: string; name?: string; passwordStdin?: boolean; mustChange?: boolean }, cmd: Command) => {
      const { config, log } = commandContext(cmd, "users");
      if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(opts.username)) throw new Error("--username: letters, digits, _ . : - (max 64)");
      if (!(userRoles as readonly string[]).includes(opts.role)) throw new Error(`--role must be one of ${userRoles.join(", ")}`);
      if (!opts.passwordStdin) throw new Error("--password-stdin is required: pass the password on standard input");
      const password = await readStdin();
      const problem = passwordProblem(password, opts.username);
      if (problem) throw new Error(problem);
      const db = await openDatabase({ url: config.database.url, pgliteDir: path.join(config.dataDir, "pglite"), log, migrate: true });
      try {
        const data = {
          role: opts.role as UserRole,
          name: opts.name ?? opts.username,
          active: true,
          passwordHash: await hashPassword(password),
          mustChangePassword: Boolean(opts.mustChange),
          passwordChangedAt: new Date(),
        };
        await db.prisma.user.upsert({ where: { username: opts.username }, create: { id: opts.username, username: opts.username, ...data }, update: data });
        await db.prisma.session.updateMany({ where: { userId: opts.username, revokedAt: null }, data: { revokedAt: new Date() } });
        console.log(`user ${opts.username} (${opts.role}) saved`);
      } finally {
        await db.close();
      }
    });
}
