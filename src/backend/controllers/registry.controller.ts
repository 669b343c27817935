import { Router } from "express";
import { z } from "zod";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { administrators, anyUser } from "../http/roles.ts";
import { certificateBody, eventCodeBody, idParam, rejectReasonBody, shopBody, userBody, vendorBody } from "../dtos/registry.dto.ts";
import type { RegistryService } from "../services/registry.service.ts";
import type { UserDirectory } from "../services/user-directory.ts";

const code2 = z.string().regex(/^\d{2}$/, "two digits");

export function registryController(registry: RegistryService, users: UserDirectory): Router {
  const r = Router();
  const tag = "registry";
  apiRoute(r, { method: "get", path: "/users", tag, access: administrators, summary: "List users", handler: () => users.list() });
  apiRoute(r, {
    method: "put",
    path: "/users/:id",
    tag,
    access: administrators,
    summary: "Create or update a user (a password given here must be changed at next login)",
    body: userBody,
    handler: ({ req, params, body }) => users.put(idParam.parse(params.id), body, req.header("if-none-match") === "*"),
  });
  apiRoute(r, {
    method: "post",
    path: "/users/:id/unlock",
    tag,
    access: administrators,
    summary: "Lift a user's login lockout from every address",
    responds: "{username, cleared} · 404 unknown user",
    handler: ({ params }) => users.unlock(idParam.parse(params.id)),
  });
  apiRoute(r, {
    method: "post",
    path: "/users/:id/certificates",
    tag,
    access: administrators,
    summary: "Register an officer's enforcement certificate",
    body: certificateBody,
    handler: ({ params, body }) => registry.addCertificate(idParam.parse(params.id), body),
  });
  apiRoute(r, {
    method: "post",
    path: "/certificates/:number/revoke",
    tag,
    access: administrators,
    summary: "Revoke an enforcement certificate",
    handler: ({ params }) => registry.revokeCertificate(params.number),
  });
  apiRoute(r, { method: "get", path: "/shops", tag, access: anyUser, summary: "List registered shops", handler: () => registry.listShops() });
  apiRoute(r, {
    method: "put",
    path: "/shops/:id",
    tag,
    access: administrators,
    summary: "Create or update a shop",
    body: shopBody,
    handler: ({ params, body }) => registry.putShop(idParam.parse(params.id), body),
  });
  apiRoute(r, {
    method: "get",
    path: "/vendors",
    tag,
    access: anyUser,
    summary: "List known vendors (identity numbers masked)",
    handler: () => registry.listVendors(),
  });
  apiRoute(r, {
    method: "get",
    path: "/vendors/:id",
    tag,
    access: anyUser,
    summary: "Get a vendor (full identity number for administrators, operators and officers, recorded in the audit chain; masked for others)",
    handler: ({ params, actor }) => registry.vendor(idParam.parse(params.id), requireActor(actor)),
  });
  apiRoute(r, {
    method: "put",
    path: "/vendors/:id",
    tag,
    access: ["administrator", "operator", "officer"],
    summary: "Create or update a vendor",
    body: vendorBody,
    handler: ({ params, body }) => registry.putVendor(idParam.parse(params.id), body),
  });
  apiRoute(r, {
    method: "get",
    path: "/event-codes",
    tag,
    access: anyUser,
    summary: "List event codes and time limits",
    handler: () => registry.listEventCodes(),
  });
  apiRoute(r, {
    method: "put",
    path: "/event-codes/:major/:minor",
    tag,
    access: administrators,
    summary: "Create or update an event code",
    body: eventCodeBody,
    handler: ({ params, body }) => registry.putEventCode(code2.parse(params.major), code2.parse(params.minor), body),
  });
  apiRoute(r, { method: "get", path: "/reject-reasons", tag, access: anyUser, summary: "List rejection reasons", handler: () => registry.listRejectReasons() });
  apiRoute(r, {
    method: "put",
    path: "/reject-reasons/:code",
    tag,
    access: administrators,
    summary: "Create or update a rejection reason",
    body: rejectReasonBody,
    handler: ({ params, body }) =>
      registry.putRejectReason(
        z
          .string()
          .regex(/^[a-z0-9_]{1,64}$/)
          .parse(params.code),
        body,
      ),
  });
  return r;
}
