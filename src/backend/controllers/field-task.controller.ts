import { Router } from "express";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { fieldStaff } from "../http/roles.ts";
import { HttpError } from "../http/errors.ts";
import { officerPhotoTypes, type FieldTaskService } from "../services/field-task.service.ts";
import { officerPhotoSchema, taskAcceptedSchema } from "../../contracts/api/field-task.ts";

/** Officer-side task routes the console needs: accept a task, upload on-site photos. */
export function fieldTaskController(tasks: FieldTaskService): Router {
  const r = Router();
  apiRoute(r, {
    method: "post",
    path: "/cases/:id/accept",
    tag: "workflow",
    access: fieldStaff,
    summary: "Accept a dispatched task (recorded in the case's record)",
    response: taskAcceptedSchema,
    handler: ({ params, actor }) => tasks.accept(params.id, requireActor(actor)),
  });
  apiRoute(r, {
    method: "post",
    path: "/cases/:id/photos",
    tag: "workflow",
    access: fieldStaff,
    summary: "Upload an on-site photo of a dispatched task",
    rawBody: { contentTypes: officerPhotoTypes },
    responds: "201 {sha256, bytes, kind} · 403 not your task · 409 not dispatched · 413 too large · 415 not an image",
    status: 201,
    response: officerPhotoSchema,
    handler: async ({ req, res, params, actor }) => {
      const type = (req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (!(officerPhotoTypes as readonly string[]).includes(type)) throw new HttpError(415, `photos must be ${officerPhotoTypes.join(", ")}`);
      const out = await tasks.addPhoto(params.id, requireActor(actor), type, req);
      res.status(201);
      return out;
    },
  });
  return r;
}
