import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { anyUser } from "../http/roles.ts";
import type { ChangeFeed } from "../services/change-feed.ts";

/**
 * Server-sent events: `event: cases` with `{changes:[{caseId, candidateId, action, state?}]}`
 * after every commit, on every replica. The console reloads what changed.
 */
export function eventsController(feed: ChangeFeed): Router {
  const r = Router();
  apiRoute(r, {
    method: "get",
    path: "/events",
    tag: "events",
    access: anyUser,
    summary: "Stream new and changed cases (SSE)",
    produces: ["text/event-stream"],
    handler: async ({ req, res }) => {
      res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", Connection: "keep-alive", "X-Accel-Buffering": "no" });
      res.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
      const unsubscribe = feed.subscribe((changes) => res.write(`event: cases\ndata: ${JSON.stringify({ changes })}\n\n`));
      const keepAlive = setInterval(() => res.write(`: keep-alive\n\n`), 15_000);
      await new Promise<void>((resolve) => req.on("close", resolve));
      clearInterval(keepAlive);
      unsubscribe();
      return undefined;
    },
  });
  return r;
}
