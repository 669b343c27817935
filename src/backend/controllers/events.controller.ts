import { Router } from "express";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { anyUser, seesOnlyOwnTasks } from "../http/roles.ts";
import type { CaseChange, ChangeFeed } from "../services/change-feed.ts";

/** The assignee of each of these cases (absent or null = nobody). */
export type AssigneesOf = (caseIds: string[]) => Promise<Map<string, string | null>>;

/**
 * Server-sent events: `event: cases` with `{changes:[{caseId, candidateId, action, state?}]}`
 * after every commit, on every replica. The console reloads what changed. Each caller gets
 * what the REST list would show them: field staff only their own tasks' changes.
 */
export function eventsController(feed: ChangeFeed, assigneesOf: AssigneesOf): Router {
  const r = Router();
  // Every stream of this replica receives the same batch object: look its assignees up once, not once per field user.
  const lookups = new WeakMap<CaseChange[], Promise<Map<string, string | null>>>();
  const assigneesIn = (changes: CaseChange[]) => {
    let p = lookups.get(changes);
    if (!p) {
      p = assigneesOf([...new Set(changes.map((c) => c.caseId))]);
      lookups.set(changes, p);
    }
    return p;
  };
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
            const assignees = await assigneesIn(changes);
            return changes.filter((c) => assignees.get(c.caseId) === me.id);
          }
        : async (changes: CaseChange[]) => changes;
      res.writeHead(200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
      });
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
