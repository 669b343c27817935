import type { Request, Response, Router } from "express";
import { z } from "zod";
import { actorOf, type Actor, type UserRole } from "./actor.ts";
import { HttpError } from "./errors.ts";

/**
 * Every API route is declared once with its roles and its zod shapes; the same
 * declaration authorises the call, validates input and produces the OpenAPI document.
 * "edge" routes are for edge workers (bearer API token from enrollment); "public" needs nobody.
 * Mutating calls must be JSON (or the route's declared raw content types): a cross-site form
 * cannot send application/json, and the session cookie is SameSite=Strict — together the
 * CSRF defence.
 */
export type RouteAccess = readonly UserRole[] | "edge" | "public";

export interface ApiRouteSpec<B extends z.ZodType, Q extends z.ZodType> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Express path, e.g. /cases/:id/confirm (mounted under /api). */
  path: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  body?: B;
  query?: Q;
  /** Response description for the OpenAPI document. */
  responds?: string;
  /** The status of a successful answer when it is not 200: 201 created, 204 no content (no body, no `response`). */
  status?: 201 | 204;
  /** Shape of the JSON answer (from src/contracts/api): in the OpenAPI document, and checked on every answer under test. */
  response?: z.ZodType;
  /** Raw (non-JSON) request body, e.g. evidence bytes. */
  rawBody?: { contentTypes: readonly string[] };
  /** Content types of a non-JSON response (evidence files, SSE). */
  produces?: readonly string[];
  /** Callable while the user still has to change a one-time password (the auth routes). */
  allowBeforePasswordChange?: boolean;
  handler: (input: {
    req: Request;
    res: Response;
    actor: Actor | undefined;
    body: z.infer<B>;
    query: z.infer<Q>;
    params: Record<string, string>;
  }) => Promise<unknown>;
}

export const declaredRoutes: ApiRouteSpec<z.ZodType, z.ZodType>[] = [];

export function apiRoute<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(router: Router, spec: ApiRouteSpec<B, Q>): void {
  if (!declaredRoutes.some((r) => r.method === spec.method && r.path === spec.path)) declaredRoutes.push(spec as unknown as ApiRouteSpec<z.ZodType, z.ZodType>);
  router[spec.method](spec.path, async (req, res, next) => {
    try {
      const actor = actorOf(res);
      authorise(spec, actor, res.locals.mustChangePassword === true);
      requireJsonBody(spec, req);
      const body = spec.body ? spec.body.parse(req.body ?? {}) : undefined;
      const query = spec.query ? spec.query.parse(req.query) : undefined;
      const result = await spec.handler({
        req,
        res,
        actor,
        body: body as z.infer<B>,
        query: query as z.infer<Q>,
        params: req.params as Record<string, string>,
      });
      if (spec.response && result !== undefined && checkResponses) checkResponse(spec, result);
      if (!res.headersSent && result !== undefined) res.json(result);
    } catch (err) {
      next(err);
    }
  });
}

/** Set by the test suite: every declared answer is checked against its contract, so a drift fails a test instead of a console. */
const checkResponses = process.env.CURBWATCH_CHECK_RESPONSES === "1";

function checkResponse(spec: ApiRouteSpec<z.ZodType, z.ZodType>, result: unknown): void {
  // As the client will see it: dates become strings, undefined disappears.
  const r = spec.response!.safeParse(JSON.parse(JSON.stringify(result)));
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`${spec.method.toUpperCase()} ${spec.path} answered outside its contract: ${problems}`);
  }
}

function authorise(spec: ApiRouteSpec<z.ZodType, z.ZodType>, actor: Actor | undefined, mustChangePassword: boolean): void {
  if (spec.access === "public") return;
  if (spec.access === "edge") {
    if (!actor) throw new HttpError(401, "this route needs an edge worker's API token (Authorization: Bearer …)");
    if (actor.role !== "edge") throw new HttpError(403, "only edge workers may call this route");
    return;
  }
  if (!actor) throw new HttpError(401, "log in first");
  if (!spec.access.includes(actor.role as UserRole)) throw new HttpError(403, `role ${actor.role} may not ${spec.summary.toLowerCase()}`);
  if (mustChangePassword && !spec.allowBeforePasswordChange) throw new HttpError(403, "change your one-time password first (POST /api/auth/password)");
}

const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function requireJsonBody(spec: ApiRouteSpec<z.ZodType, z.ZodType>, req: Request): void {
  if (!mutating.has(req.method) || spec.rawBody) return;
  const type = (req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new HttpError(415, "send the request as Content-Type: application/json");
}

/** The acting user, or 401 (for routes whose access list guarantees one). */
export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw new HttpError(401, "this action needs an identified user");
  return actor;
}
