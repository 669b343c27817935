import { Router } from "express";
import { z } from "zod";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { commandCenter } from "../http/roles.ts";
import { HttpError } from "../http/errors.ts";
import type { LiveRelay } from "./live-relay.ts";
import { liveTicketSchema } from "../../contracts/api/camera.ts";

const cameraId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

export function liveViewController(relay: LiveRelay, cameraExists: (id: string) => Promise<boolean>): Router {
  const r = Router();
  apiRoute(r, {
    method: "post",
    path: "/cameras/:id/live",
    tag: "cameras",
    access: commandCenter,
    summary: "Get a single-use ticket to watch a camera live (MPEG-1 over WebSocket for jsmpeg)",
    responds: "{wsPort, wsPath}: connect to ws://<console host>:wsPort<wsPath> within 30 s · 404 unknown camera",
    response: liveTicketSchema,
    handler: async ({ params, actor }) => {
      const id = cameraId.parse(params.id);
      if (!(await cameraExists(id))) throw new HttpError(404, `camera ${id} does not exist`);
      return relay.issueTicket(id, requireActor(actor).id);
    },
  });
  return r;
}
