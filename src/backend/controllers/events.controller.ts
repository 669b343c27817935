import { Router } from "express";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { anyUser, seesOnlyOwnTasks } from "../http/roles.ts";
import type { CaseChange, ChangeFeed } from "../services/change-feed.ts";

/** Of these case ids, the ones assigned to this user (the REST rule for field staff). */
export type AssignedAmong = (caseIds: string[], userId: string) => Promise<Set<string>>;

/**
 * Server-sent events: `event: cases` with `{changes:[{caseId, candidateId, action, state?}]}`
 * after every commit, on every replica. The console reloads what changed. Each caller gets
 * what the REST list would show them: field staff only their own tasks' changes.
 */
export function eventsController(feed: ChangeFeed, assignedAmong: AssignedAmong): Router {
  const r = Router();
  apiRoute(r, {
    method: "get",
    path: "/events",
    tag: "events",
    access: anyUser,
    summary: "Stream new and changed cases (SSE; field staff: only their own tasks)",
    produces: ["text/event-stream"],
    handler: async ({ req, res, actor }) => {
      const me = requireActor(actor);
      const visible = seesOnlyOwnTasks(me.role)
        ? async (changes: CaseChange[]) => {
            const mine = await assignedAmong([...new Set(changes.map((c) => c.caseId))], me.id);
            return changes.filter((c) => mine.has(c.caseId));
          }
        : async (changes: CaseChange[]) => changes;
      res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", Connection: "keep-alive", "X-Accel-Buffering": "no" });
      res.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
      // One filter at a time per stream, so notices keep their commit order.
      let queue = Promise.resolve();
      const unsubscribe = feed.subscribe((changes) => {
        queue = queue
          .then(() => visible(changes))
          .then((shown) => {
            if (shown.length > 0 && !res.writableEnded) res.write(`event: cases\ndata: ${JSON.stringify({ changes: shown })}\n\n`);
          })
          .catch(() => {
            res.destroy(); // the console reconnects (retry:) and reloads: better than a silent gap
          });
      });
      const keepAlive = setInterval(() => res.write(`: keep-alive\n\n`), 15_000);
      await new Promise<void>((resolve) => req.on("close", resolve));
      clearInterval(keepAlive);
      unsubscribe();
      return undefined;
    },
  });
  return r;
}
