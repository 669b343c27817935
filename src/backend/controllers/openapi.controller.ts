import { Router } from "express";
import { z } from "zod";
import { apiRoute, declaredRoutes } from "../http/api-route.ts";
import { SESSION_COOKIE } from "../http/session-cookie.ts";
import { VERSION } from "../../shared/version.ts";
import { openApiSchema } from "../../contracts/api/operations.ts";

function jsonSchema(s: z.ZodType, io: "input" | "output" = "input") {
  return z.toJSONSchema(s, { io, unrepresentable: "any" });
}

/** OpenAPI 3.1 built from the route declarations, so the document cannot drift from the code. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of declaredRoutes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const params = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const query = r.query
      ? Object.entries((jsonSchema(r.query) as { properties?: Record<string, unknown>; required?: string[] }).properties ?? {}).map(([name, schema]) => ({
          name,
          in: "query",
          required: ((jsonSchema(r.query!) as { required?: string[] }).required ?? []).includes(name) && !(schema as { default?: unknown }).default,
          schema,
        }))
      : [];
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      "x-curbwatch-access": r.access,
      parameters: [...params, ...query],
      responses: {
        [String(r.status ?? 200)]: {
          description: r.responds ?? "OK",
          ...(r.status === 204
            ? {}
            : r.produces
              ? // A route that answers JSON or a file (statistics: JSON or CSV) documents its JSON shape.
                {
                  content: Object.fromEntries(
                    r.produces.map((t) => [t, t === "application/json" && r.response ? { schema: jsonSchema(r.response, "output") } : {}]),
                  ),
                }
              : { content: { "application/json": r.response ? { schema: jsonSchema(r.response, "output") } : {} } }),
        },
        "400": { description: "invalid input" },
        ...(Array.isArray(r.access) ? { "401": { description: "no identified user" }, "403": { description: "role not allowed" } } : {}),
        "404": { description: "not found" },
        "409": { description: "illegal transition or concurrent change" },
      },
    };
    if (Array.isArray(r.access)) op.security = [{ session: [] }];
    if (r.access === "edge") op.security = [{ edgeToken: [] }];
    if (r.body) op.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } };
    if (r.rawBody)
      op.requestBody = {
        required: true,
        content: Object.fromEntries(r.rawBody.contentTypes.map((t) => [t, { schema: { type: "string", format: "binary" } }])),
      };
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: "3.1.0",
    info: { title: "CurbWatch API", version: VERSION, description: "Candidate review, case workflow, evidence and the full-process record." },
    servers: [{ url: "/api" }],
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "session cookie set by POST /api/auth/login" },
        edgeToken: { type: "http", scheme: "bearer", description: "edge worker API token from POST /api/edges/enroll" },
      },
    },
    paths,
  };
}

export function openApiController(): Router {
  const r = Router();
  apiRoute(r, {
    method: "get",
    path: "/openapi.json",
    tag: "meta",
    access: "public",
    summary: "The OpenAPI document of this API",
    response: openApiSchema,
    handler: async () => openApiDocument(),
  });
  return r;
}
