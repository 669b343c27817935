import type { Database } from "../db/database.ts";
import type { Shop } from "../../generated/prisma/client.ts";
import type { ShopInput } from "../../contracts/api/registry.ts";

export type ShopRecord = Shop;

/** Registered shops (their frontage lines feed the shop-overflow rule). */
export class ShopRepository {
  constructor(private db: Database) {}

  list(): Promise<ShopRecord[]> {
    return this.db.prisma.shop.findMany({ orderBy: { id: "asc" } });
  }

  save(id: string, b: ShopInput): Promise<ShopRecord> {
    const data = { ...b, frontLine: b.frontLine ?? undefined };
    return this.db.prisma.shop.upsert({ where: { id }, create: { id, ...data }, update: data });
  }

  /** How many of these shop ids are registered. */
  countExisting(ids: string[]): Promise<number> {
    return this.db.prisma.shop.count({ where: { id: { in: ids } } });
  }
}
