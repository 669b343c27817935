import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Router } from "express";

/** Where `npm run build:web` puts the console. */
export const webConsoleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../web/dist");

/**
 * Serves the built console and answers client-side routes (/review, /tasks/…) with its
 * index.html. Without a build, `/` says how to make one instead of a bare 404.
 */
export function webConsole(dir = webConsoleDir): Router {
  const r = express.Router();
  const index = path.join(dir, "index.html");
  // Hashed asset names never change content: cache them for long; index.html never.
  r.use("/assets", express.static(path.join(dir, "assets"), { immutable: true, maxAge: "365d", fallthrough: false }));
  r.use(express.static(dir, { index: false, maxAge: "1h" }));
  r.get(/^(?!\/api(\/|$)).*/, (req, res, next) => {
    if (!req.accepts("html")) return next();
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type("text/plain; charset=utf-8")
        .send(
          "CurbWatch web console is not built.\nRun `npm run build:web` (it also runs during `npm install`), then reload.\nThe API is up at /api (see /api/openapi.json).\n",
        );
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  return r;
}
