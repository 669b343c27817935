import { Router } from "express";
import { z } from "zod";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { administrators, anyUser } from "../http/roles.ts";
import {
  certificateBody,
  certificateViewSchema,
  eventCodeBody,
  eventCodeViewSchema,
  idParam,
  rejectReasonBody,
  rejectReasonViewSchema,
  shopBody,
  shopViewSchema,
  userBody,
  userUnlockSchema,
  userViewSchema,
  vendorBody,
  vendorViewSchema,
} from "../../contracts/api/registry.ts";
import type { CertificateService } from "../services/certificate.service.ts";
import type { ShopService } from "../services/shop.service.ts";
import type { VendorService } from "../services/vendor.service.ts";
import type { EventCodeService } from "../services/event-code.service.ts";
import type { RejectReasonService } from "../services/reject-reason.service.ts";
import type { UserDirectory } from "../services/user-directory.ts";

const code2 = z.string().regex(/^\d{2}$/, "two digits");

/** The registries the console administers beside people. */
export interface Registries {
  certificates: CertificateService;
  shops: ShopService;
  vendors: VendorService;
  eventCodes: EventCodeService;
  rejectReasons: RejectReasonService;
}

export function registryController(registries: Registries, users: UserDirectory): Router {
  const { certificates, shops, vendors, eventCodes, rejectReasons } = registries;
  const r = Router();
  const tag = "registry";
  apiRoute(r, {
    method: "get",
    path: "/users",
    tag,
    access: administrators,
    summary: "List users",
    response: z.array(userViewSchema),
    handler: () => users.list(),
  });
  apiRoute(r, {
    method: "put",
    path: "/users/:id",
    tag,
    access: administrators,
    summary: "Create or update a user (a password given here must be changed at next login)",
    body: userBody,
    response: userViewSchema,
    handler: ({ req, params, body }) => users.put(idParam.parse(params.id), body, req.header("if-none-match") === "*"),
  });
  apiRoute(r, {
    method: "post",
    path: "/users/:id/unlock",
    tag,
    access: administrators,
    summary: "Lift a user's login lockout from every address",
    responds: "{username, cleared} · 404 unknown user",
    response: userUnlockSchema,
    handler: ({ params }) => users.unlock(idParam.parse(params.id)),
  });
  apiRoute(r, {
    method: "post",
    path: "/users/:id/certificates",
    tag,
    access: administrators,
    summary: "Register an officer's enforcement certificate",
    body: certificateBody,
    response: certificateViewSchema,
    handler: ({ params, body }) => certificates.add(idParam.parse(params.id), body),
  });
  apiRoute(r, {
    method: "post",
    path: "/certificates/:number/revoke",
    tag,
    access: administrators,
    summary: "Revoke an enforcement certificate",
    response: certificateViewSchema,
    handler: ({ params }) => certificates.revoke(params.number),
  });
  apiRoute(r, {
    method: "get",
    path: "/shops",
    tag,
    access: anyUser,
    summary: "List registered shops",
    response: z.array(shopViewSchema),
    handler: () => shops.list(),
  });
  apiRoute(r, {
    method: "put",
    path: "/shops/:id",
    tag,
    access: administrators,
    summary: "Create or update a shop",
    body: shopBody,
    response: shopViewSchema,
    handler: ({ params, body }) => shops.put(idParam.parse(params.id), body),
  });
  apiRoute(r, {
    method: "get",
    path: "/vendors",
    tag,
    access: anyUser,
    summary: "List known vendors (identity numbers masked)",
    response: z.array(vendorViewSchema),
    handler: () => vendors.list(),
  });
  apiRoute(r, {
    method: "get",
    path: "/vendors/:id",
    tag,
    access: anyUser,
    summary: "Get a vendor (full identity number for administrators, operators and officers, recorded in the audit chain; masked for others)",
    response: vendorViewSchema,
    handler: ({ params, actor }) => vendors.get(idParam.parse(params.id), requireActor(actor)),
  });
  apiRoute(r, {
    method: "put",
    path: "/vendors/:id",
    tag,
    access: ["administrator", "operator", "officer"],
    summary: "Create or update a vendor",
    body: vendorBody,
    response: vendorViewSchema,
    handler: ({ params, body }) => vendors.put(idParam.parse(params.id), body),
  });
  apiRoute(r, {
    method: "get",
    path: "/event-codes",
    tag,
    access: anyUser,
    summary: "List event codes and time limits",
    response: z.array(eventCodeViewSchema),
    handler: () => eventCodes.list(),
  });
  apiRoute(r, {
    method: "put",
    path: "/event-codes/:major/:minor",
    tag,
    access: administrators,
    summary: "Create or update an event code",
    body: eventCodeBody,
    response: eventCodeViewSchema,
    handler: ({ params, body }) => eventCodes.put(code2.parse(params.major), code2.parse(params.minor), body),
  });
  apiRoute(r, {
    method: "get",
    path: "/reject-reasons",
    tag,
    access: anyUser,
    summary: "List rejection reasons",
    response: z.array(rejectReasonViewSchema),
    handler: () => rejectReasons.list(),
  });
  apiRoute(r, {
    method: "put",
    path: "/reject-reasons/:code",
    tag,
    access: administrators,
    summary: "Create or update a rejection reason",
    body: rejectReasonBody,
    response: rejectReasonViewSchema,
    handler: ({ params, body }) =>
      rejectReasons.put(
        z
          .string()
          .regex(/^[a-z0-9_]{1,64}$/)
          .parse(params.code),
        body,
      ),
  });
  return r;
}
