import type { VendorInput, VendorView } from "../../contracts/api/registry.ts";
import { DomainError } from "../domain/errors.ts";
import type { Actor } from "../domain/actor.ts";
import type { VendorRecord, VendorRepository } from "../repositories/vendor.repository.ts";
import { maskIdNumber, seesFullPersonalData } from "./personal-data.ts";

const vendorView = (v: VendorRecord, idNumber: string | null, idNumberMasked: boolean): VendorView => ({
  id: v.id,
  name: v.name,
  description: v.description,
  idNumber,
  idNumberMasked,
  createdAt: v.createdAt.toISOString(),
});
const maskedVendor = (v: VendorRecord): VendorView => vendorView(v, maskIdNumber(v.idNumber), v.idNumber !== null);

/** Vendors: their identity numbers are shown masked unless a deciding role reads one, and that read is recorded. */
export class VendorService {
  constructor(private vendors: Pick<VendorRepository, "list" | "find" | "findRecordingRead" | "save">) {}

  /** Identity numbers masked for every role: full numbers are read one vendor at a time (vendor), and each such read is recorded. */
  async list(): Promise<VendorView[]> {
    return (await this.vendors.list()).map(maskedVendor);
  }

  /**
   * One vendor. A deciding role gets the full identity number, and that read is appended
   * to the vendor's chain of the full-process record (who, when, which role) in the same
   * transaction; everyone else gets it masked.
   */
  async get(id: string, actor: Actor): Promise<VendorView> {
    const v = seesFullPersonalData(actor.role)
      ? await this.vendors.findRecordingRead(id, (found) => ({
          chain: `vendor:${found.id}`,
          actorId: actor.id,
          action: "personal_data.id_number_read",
          after: { vendorId: found.id, role: actor.role },
        }))
      : await this.vendors.find(id);
    if (!v) throw new DomainError("not_found", `vendor ${id} does not exist`);
    if (!seesFullPersonalData(actor.role) || v.idNumber === null) return maskedVendor(v);
    return vendorView(v, v.idNumber, false);
  }

  /** The writer knows what they sent: the answer shows the number masked, so no response echoes it. */
  async put(id: string, b: VendorInput): Promise<VendorView> {
    return maskedVendor(await this.vendors.save(id, b));
  }
}
