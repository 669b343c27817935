import type { EventCodeInput, EventCodeView } from "../../contracts/api/registry.ts";
import type { EventCodeRecord, EventCodeRepository } from "../repositories/event-code.repository.ts";

const eventCodeView = (e: EventCodeRecord): EventCodeView => ({
  major: e.major,
  minor: e.minor,
  name: e.name,
  timeLimitMinutes: e.timeLimitMinutes,
  priority: e.priority,
  minorViolation: e.minorViolation,
  active: e.active,
});

/** Event codes (major/minor) with their time limits and priorities. */
export class EventCodeService {
  constructor(private codes: Pick<EventCodeRepository, "list" | "save">) {}

  async list(): Promise<EventCodeView[]> {
    return (await this.codes.list()).map(eventCodeView);
  }

  async put(major: string, minor: string, b: EventCodeInput): Promise<EventCodeView> {
    return eventCodeView(await this.codes.save(major, minor, b));
  }
}
