import type { RequestHandler, Response } from "express";
import { HttpError } from "./errors.ts";

export const userRoles = ["administrator", "operator", "officer", "auxiliary", "supervisor"] as const;
export type UserRole = (typeof userRoles)[number];

/** Who is acting. System actors (ingest, sweepers, edge uploads) have ids starting with "system:" or "edge:". */
export interface Actor {
  id: string;
  role: UserRole | "system" | "edge";
  name: string;
}

export const systemActor = (job: string): Actor => ({ id: `system:${job}`, role: "system", name: job });

/**
 * TEMPORARY until issue 6 (sessions): the caller names a registered user id in this header.
 * There is no authentication behind it. Issue 6 replaces `identifyActor` with a session
 * middleware that sets the same `res.locals.actor`; nothing else changes.
 */
export const ACTOR_HEADER = "x-curbwatch-actor";

export interface ActorLookup {
  findActiveUser(id: string): Promise<{ id: string; role: UserRole; name: string } | null>;
}

export function identifyActor(users: ActorLookup): RequestHandler {
  return async (req, res, next) => {
    const id = req.header(ACTOR_HEADER);
    if (!id) return next();
    try {
      const user = await users.findActiveUser(id);
      if (!user) return next(new HttpError(401, `unknown or inactive user in ${ACTOR_HEADER}`));
      res.locals.actor = { id: user.id, role: user.role, name: user.name } satisfies Actor;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function actorOf(res: Response): Actor | undefined {
  return res.locals.actor as Actor | undefined;
}
