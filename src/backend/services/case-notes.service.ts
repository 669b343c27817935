import type { Actor } from "../domain/actor.ts";
import { DomainError } from "../domain/errors.ts";
import { caseNumber } from "../dtos/case.dto.ts";
import type { AccessCodes, ChangeNotices, Clock } from "./ports/common.ts";
import type { CaseNotesStore } from "./ports/case-notes.port.ts";

/** The record entry saying someone in the command center read a party's statements; `after.statementIds` names them. */
export const STATEMENT_READ_ACTION = "party.statement_read";

/** The statement ids a read entry names (nothing for a malformed one). */
export function statementsRead(after: unknown): string[] {
  const ids = (after as { statementIds?: unknown } | null)?.statementIds;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === "string") : [];
}

/** States in which a party has been (or is about to be) told about the case. */
const noticeStates = new Set(["confirmed", "dispatched", "handled", "verified", "closed"]);

/** Actions on a case that are records, not transitions: field notes and the party's access code. */
export class CaseNotesService {
  constructor(
    private store: CaseNotesStore,
    private feed: ChangeNotices | null,
    private clock: Clock,
    private accessCodes: AccessCodes,
  ) {}

  /**
   * Someone in the command center read these statements of the party (陈述申辩): recorded on the
   * case, so the review queue stops flagging them and the record shows who read them when.
   * Only the case's own statements count; ids already read are recorded again harmlessly.
   */
  async markStatementsRead(caseId: string, actor: Actor, statementIds: string[]): Promise<{ read: string[] }> {
    const at = this.clock();
    const c = await this.store.transaction(async (u) => {
      const c = await u.findCase(caseId);
      if (!c) throw new DomainError("not_found", `case ${caseId} does not exist`);
      const own = await u.ownStatements(caseId, statementIds);
      if (own.length !== new Set(statementIds).size)
        throw new DomainError("unprocessable", "a statement named is not one of this case's").withCode("invalid_value", [
          { path: "statementIds", code: "not_found" },
        ]);
      await u.appendRecord([{ chain: c.candidateId, actorId: actor.id, action: STATEMENT_READ_ACTION, caseId: c.id, after: { statementIds: own } }], at);
      return { ...c, read: own };
    });
    this.feed?.publish([{ caseId: c.id, candidateId: c.candidateId, action: "statement_read", state: c.state }]);
    return { read: c.read };
  }

  async add(caseId: string, actor: Actor, text: string): Promise<{ at: string }> {
    const at = this.clock();
    await this.store.transaction(async (u) => {
      const c = await u.findCase(caseId);
      if (!c) throw new DomainError("not_found", `case ${caseId} does not exist`);
      await u.appendRecord([{ chain: c.candidateId, actorId: actor.id, action: "case.note", caseId: c.id, after: { text, role: actor.role } }], at);
    });
    return { at: at.toISOString() };
  }

  /** A new access code (only its hash is kept); the issue is recorded, the code itself is not. */
  async issueAccessCode(caseId: string, actor: Actor): Promise<{ caseNumber: string; accessCode: string }> {
    const { code, hash } = this.accessCodes.issue();
    return this.store.transaction(async (u) => {
      const at = this.clock();
      const c = await u.findCase(caseId);
      if (!c) throw new DomainError("not_found", `case ${caseId} does not exist`);
      if (!noticeStates.has(c.state)) throw new DomainError("conflict", `a ${c.state} case has no party to notify`);
      await u.setAccessCode(c.id, hash, at);
      await u.appendRecord([{ chain: c.candidateId, actorId: actor.id, action: "case.access_code_issued", caseId: c.id }], at);
      return { caseNumber: caseNumber(c.number), accessCode: code };
    });
  }
}
