import type { RequestHandler } from "express";
import type { Actor } from "./actor.ts";
import type { AuthService } from "../auth/auth.service.ts";
import { sessionTokenOf } from "./session-cookie.ts";

export interface EdgeTokenLookup {
  /** The edge worker an API token belongs to, or null. */
  edgeForApiToken(token: string): Promise<{ id: string; name: string } | null>;
}

/** What the session middleware leaves for the routes beside `res.locals.actor`. */
export interface SessionLocals {
  sessionToken?: string;
  mustChangePassword?: boolean;
}

/**
 * Identifies who is calling: a person by the session cookie, an edge worker by its bearer
 * API token. An unknown, revoked or expired credential leaves the caller anonymous, so
 * routes that need someone answer 401.
 */
export function sessionActor(auth: AuthService, edges: EdgeTokenLookup): RequestHandler {
  return async (req, res, next) => {
    try {
      const bearer = /^Bearer\s+(\S{20,200})$/i.exec(req.header("authorization") ?? "")?.[1];
      if (bearer) {
        const edge = await edges.edgeForApiToken(bearer);
        if (edge) res.locals.actor = { id: `edge:${edge.id}`, role: "edge", name: edge.name } satisfies Actor;
        return next();
      }
      const token = sessionTokenOf(req);
      if (!token) return next();
      const user = await auth.resolve(token);
      if (user) {
        res.locals.actor = { id: user.id, role: user.role, name: user.name } satisfies Actor;
        res.locals.sessionToken = token;
        res.locals.mustChangePassword = user.mustChangePassword;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
