import type { RequestHandler } from "express";
import { declaredRoutes } from "./api-route.ts";
import { HttpError } from "./errors.ts";

const compiled = new Map<string, RegExp>();

function patternOf(path: string): RegExp {
  let re = compiled.get(path);
  if (!re) {
    const body = path
      .split("/")
      .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    re = new RegExp(`^${body}/?$`);
    compiled.set(path, re);
  }
  return re;
}

/**
 * Runs before every /api router: a request that matches no route declared through
 * `apiRoute` (and so has no access policy) is refused here, even if some router would
 * serve it. A route added with plain `router.get` therefore cannot leak by accident.
 */
export const declaredRoutesOnly: RequestHandler = (req, _res, next) => {
  const method = req.method.toLowerCase() === "head" ? "get" : req.method.toLowerCase();
  const known = declaredRoutes.some((r) => r.method === method && patternOf(r.path).test(req.path));
  if (known) return next();
  const pathKnown = declaredRoutes.some((r) => patternOf(r.path).test(req.path));
  next(
    pathKnown
      ? new HttpError(405, `${req.method} is not allowed on ${req.path}`)
      : new HttpError(403, `no access policy is declared for ${req.method} ${req.path}`),
  );
};
