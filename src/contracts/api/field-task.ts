/** The officer's side of a dispatched task: accepting it and the on-site photos. */
import { z } from "zod";

const isoTime = z.iso.datetime({ offset: true });

export const taskAcceptedSchema = z.strictObject({ acceptedAt: isoTime });
export type TaskAccepted = z.output<typeof taskAcceptedSchema>;

/** An uploaded on-site photo (201). */
export const officerPhotoSchema = z.strictObject({ sha256: z.string(), bytes: z.number().int(), kind: z.string() });
export type OfficerPhoto = z.output<typeof officerPhotoSchema>;
