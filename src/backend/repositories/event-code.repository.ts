import type { Database } from "../db/database.ts";
import type { EventCode } from "../../generated/prisma/client.ts";
import type { EventCodeInput } from "../../contracts/api/registry.ts";

export type EventCodeRecord = EventCode;

/** Event codes (major/minor) with their time limits. */
export class EventCodeRepository {
  constructor(private db: Database) {}

  list(): Promise<EventCodeRecord[]> {
    return this.db.prisma.eventCode.findMany({ orderBy: [{ major: "asc" }, { minor: "asc" }] });
  }

  save(major: string, minor: string, b: EventCodeInput): Promise<EventCodeRecord> {
    return this.db.prisma.eventCode.upsert({ where: { major_minor: { major, minor } }, create: { major, minor, ...b }, update: b });
  }

  async isActive(major: string, minor: string): Promise<boolean> {
    return (await this.db.prisma.eventCode.count({ where: { major, minor, active: true } })) > 0;
  }
}
