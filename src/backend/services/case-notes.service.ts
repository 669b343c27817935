import type { Database } from "../db/database.ts";
import type { Actor } from "../domain/actor.ts";
import { DomainError } from "../domain/errors.ts";
import { AuditRepository } from "../repositories/audit.repository.ts";
import { newAccessCode, tokenHash } from "../auth/opaque-token.ts";
import { caseNumber } from "../dtos/case.dto.ts";

/** States in which a party has been (or is about to be) told about the case. */
const noticeStates = new Set(["confirmed", "dispatched", "handled", "verified", "closed"]);

/** Actions on a case that are records, not transitions: field notes and the party's access code. */
export class CaseNotesService {
  private readonly audit = new AuditRepository();

  constructor(private db: Database) {}

  async add(caseId: string, actor: Actor, text: string): Promise<{ at: string }> {
    const at = new Date();
    await this.db.prisma.$transaction(async (tx) => {
      const c = await tx.case.findUnique({ where: { id: caseId }, select: { id: true, candidateId: true } });
      if (!c) throw new DomainError("not_found", `case ${caseId} does not exist`);
      await this.audit.append(tx, [{ chain: c.candidateId, actorId: actor.id, action: "case.note", caseId: c.id, after: { text, role: actor.role } }], at);
    });
    return { at: at.toISOString() };
  }

  /** A new access code (only its hash is kept); the issue is recorded, the code itself is not. */
  async issueAccessCode(caseId: string, actor: Actor): Promise<{ caseNumber: string; accessCode: string }> {
    const code = newAccessCode();
    return this.db.prisma.$transaction(async (tx) => {
      const c = await tx.case.findUnique({ where: { id: caseId }, select: { id: true, candidateId: true, number: true, state: true } });
      if (!c) throw new DomainError("not_found", `case ${caseId} does not exist`);
      if (!noticeStates.has(c.state)) throw new DomainError("conflict", `a ${c.state} case has no party to notify`);
      await tx.case.update({ where: { id: c.id }, data: { accessCodeHash: tokenHash(code), accessCodeIssuedAt: new Date() } });
      await this.audit.append(tx, [{ chain: c.candidateId, actorId: actor.id, action: "case.access_code_issued", caseId: c.id }]);
      return { caseNumber: caseNumber(c.number), accessCode: code };
    });
  }
}
