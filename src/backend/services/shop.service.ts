import type { ShopInput, ShopView } from "../../contracts/api/registry.ts";
import type { ShopRecord, ShopRepository } from "../repositories/shop.repository.ts";

const shopView = (s: ShopRecord): ShopView => ({
  id: s.id,
  name: s.name,
  address: s.address,
  licenceNo: s.licenceNo,
  street: s.street,
  cameraId: s.cameraId,
  zoneId: s.zoneId,
  // A Json column, but only ever written through shopBody's frontLine (a list of normalised points).
  frontLine: (s.frontLine as [number, number][] | null) ?? null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

/** Registered shops, whose frontage the shop-overflow rule watches. */
export class ShopService {
  constructor(private shops: Pick<ShopRepository, "list" | "save">) {}

  async list(): Promise<ShopView[]> {
    return (await this.shops.list()).map(shopView);
  }

  async put(id: string, b: ShopInput): Promise<ShopView> {
    return shopView(await this.shops.save(id, b));
  }
}
