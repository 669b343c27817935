import type { Response } from "express";
import type { Actor } from "../domain/actor.ts";

export { userRoles, systemActor, type Actor, type UserRole } from "../domain/actor.ts";

export function actorOf(res: Response): Actor | undefined {
  return res.locals.actor as Actor | undefined;
}
