import type { RejectReasonInput, RejectReasonView } from "../../contracts/api/registry.ts";
import type { RejectReasonRecord, RejectReasonRepository } from "../repositories/reject-reason.repository.ts";

const rejectReasonView = (r: RejectReasonRecord): RejectReasonView => ({
  code: r.code,
  label: r.label,
  requiresText: r.requiresText,
  active: r.active,
  sortOrder: r.sortOrder,
});

/** The reasons a reviewer may reject a case with, in the order the console lists them. */
export class RejectReasonService {
  constructor(private reasons: Pick<RejectReasonRepository, "list" | "save">) {}

  async list(): Promise<RejectReasonView[]> {
    return (await this.reasons.list()).map(rejectReasonView);
  }

  async put(code: string, b: RejectReasonInput): Promise<RejectReasonView> {
    return rejectReasonView(await this.reasons.save(code, b));
  }
}
