import type { Request, Response, Router } from "express";
import { z } from "zod";
import { actorOf, type Actor, type UserRole } from "./actor.ts";
import { HttpError } from "./errors.ts";

/**
 * Every API route is declared once with its roles and its zod shapes; the same
 * declaration authorises the call, validates input and produces the OpenAPI document.
 * "edge" routes are for edge workers (token checked in issue 6); "public" needs nobody.
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
  /** Raw (non-JSON) request body, e.g. evidence bytes. */
  rawBody?: { contentTypes: readonly string[] };
  /** Content types of a non-JSON response (evidence files, SSE). */
  produces?: readonly string[];
  handler: (input: { req: Request; res: Response; actor: Actor | undefined; body: z.infer<B>; query: z.infer<Q>; params: Record<string, string> }) => Promise<unknown>;
}

export const declaredRoutes: ApiRouteSpec<z.ZodType, z.ZodType>[] = [];

export function apiRoute<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(router: Router, spec: ApiRouteSpec<B, Q>): void {
  if (!declaredRoutes.some((r) => r.method === spec.method && r.path === spec.path)) declaredRoutes.push(spec as unknown as ApiRouteSpec<z.ZodType, z.ZodType>);
  router[spec.method](spec.path, async (req, res, next) => {
    try {
      const actor = actorOf(res);
      if (Array.isArray(spec.access)) {
        if (!actor) throw new HttpError(401, "this action needs an identified user");
        if (!spec.access.includes(actor.role as UserRole)) throw new HttpError(403, `role ${actor.role} may not ${spec.summary.toLowerCase()}`);
      }
      const body = spec.body ? spec.body.parse(req.body ?? {}) : undefined;
      const query = spec.query ? spec.query.parse(req.query) : undefined;
      const result = await spec.handler({ req, res, actor, body: body as z.infer<B>, query: query as z.infer<Q>, params: req.params as Record<string, string> });
      if (!res.headersSent && result !== undefined) res.json(result);
    } catch (err) {
      next(err);
    }
  });
}

/** The acting user, or 401 (for routes whose access list guarantees one). */
export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw new HttpError(401, "this action needs an identified user");
  return actor;
}
