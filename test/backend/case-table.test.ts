import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/backend/db/database.ts";
import type { RunningBackend } from "../../src/backend/server.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { loginAs, testPassword } from "../support/login.ts";
import { api, runTag, startTestBackend, testConfig } from "./backend-harness.ts";
import { reportCandidate } from "./case-fixtures.ts";

interface Row {
  id: string;
  number: string;
  state: string;
  rule: string;
  eventCode: string;
  cameraId: string;
  cameraName: string | null;
  street: string | null;
  assigneeName: string | null;
  priority: number;
  startedAt: string;
  dispatch: { assigneeId: string } | null;
}
interface TablePage {
  total: number;
  totalExact: boolean;
  limit: number;
  next: string | null;
  prev: string | null;
  items: Row[];
}

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 2, 1, 0, 0);

describe.runIf(postgresAvailable())("the all-cases table and its CSV export (real PostgreSQL)", () => {
  const tag = runTag();
  const camA = `cam-a-${tag}`;
  const camB = `cam-b-${tag}`;
  let drop: () => Promise<void>;
  let be: RunningBackend;
  let db: Database;
  /** Every case this file made, as the API shows it after the workflow steps below. */
  let all: Row[] = [];

  const table = async (query: string, as = "op1") => {
    const r = await api(be.url, "GET", `/all-cases?${query}`, { as });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as TablePage;
  };
  const csv = async (query: string, as = "op1") => {
    const r = await fetch(`${be.url}/api/all-cases/export?${query}`, { headers: { cookie: await loginAs(be.url, as) } });
    return {
      status: r.status,
      type: r.headers.get("content-type"),
      disposition: r.headers.get("content-disposition"),
      bytes: Buffer.from(await r.arrayBuffer()),
    };
  };
  /** Walks the table from its first page along `next`, page by page. */
  async function walk(query: string): Promise<TablePage[]> {
    const pages = [await table(query)];
    while (pages.at(-1)!.next) pages.push(await table(`${query}&after=${pages.at(-1)!.next}`));
    return pages;
  }
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const num = (r: Row) => Number(r.number.slice(3));
  const newest = (a: Row, b: Row) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || num(b) - num(a);

  beforeAll(async () => {
    const t = await createTestDatabase("cw_table");
    drop = t.drop;
    be = await startTestBackend(testConfig({ databaseUrl: t.url, group: tag }));
    db = await openDatabase({ url: t.url, pgliteDir: "memory://", poolSize: 4 });
    for (const [id, role, name] of [
      ["op1", "operator", "坐席一"],
      ["sup1", "supervisor", "监督员一"],
      ["off1", "officer", "队员老李"],
      ["aux1", "auxiliary", "协管员小赵"],
    ] as const) {
      const r = await api(be.url, "PUT", `/users/${id}`, { as: "admin", body: { name, role, password: testPassword(id) } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    await api(be.url, "PUT", `/cameras/${camA}`, { as: "admin", body: { name: "人民路东口", street: "人民路" } });
    await api(be.url, "PUT", `/cameras/${camB}`, { as: "admin", body: { name: "解放街, 北段", street: "解放街" } });

    // 24 cases through the real ingest path: two cameras, both violation kinds (05/01 has
    // priority 2, 05/04 priority 1), and three cases sharing one start time so the case number
    // has to break the tie.
    const made: string[] = [];
    for (let i = 0; i < 24; i++) {
      const shop = i % 3 === 0;
      const startedAt = new Date(i >= 10 && i <= 12 ? T0 + 10 * MINUTE : T0 + i * MINUTE).toISOString();
      made.push(
        await reportCandidate(db, {
          cameraId: i % 2 ? camB : camA,
          startedAt,
          lastSeenAt: startedAt,
          ...(shop ? { rule: "shop_overflow", eventCode: { major: "05", minor: "04" }, ruleId: "overflow" } : {}),
        }),
      );
    }
    // Workflow steps through the API: some rejected, some confirmed, some dispatched to each field staff member.
    const step = async (id: string, verb: string, body: unknown = {}) => {
      const r = await api(be.url, "POST", `/cases/${id}/${verb}`, { as: "op1", body });
      expect(r.status, `${verb} ${JSON.stringify(r.body)}`).toBe(200);
    };
    for (const id of made.slice(0, 4)) await step(id, "reject", { reason: "wrong_object" });
    for (const id of made.slice(4, 12)) await step(id, "confirm");
    for (const id of made.slice(4, 7)) await step(id, "dispatch", { assigneeId: "off1", task: "dissuasion" });
    for (const id of made.slice(7, 9)) await step(id, "dispatch", { assigneeId: "aux1", task: "dissuasion" });

    all = (await walk(`cameraId=${camA}&limit=200`)).flatMap((p) => p.items).concat((await walk(`cameraId=${camB}&limit=200`)).flatMap((p) => p.items));
    expect(all).toHaveLength(24);
  });
  afterAll(async () => {
    await db?.close();
    await be?.close();
    await drop?.();
  });

  it("filters by state, violation kind, camera, street, event code, time range and assignee", async () => {
    const expectRows = async (query: string, want: (r: Row) => boolean) => {
      const pages = await walk(`${query}&limit=200`);
      const got = pages.flatMap((p) => p.items);
      expect(new Set(ids(got)), query).toEqual(new Set(ids(all.filter(want))));
      expect(pages[0].total, query).toBe(got.length);
      expect(pages[0].totalExact).toBe(true);
      return got;
    };
    const ours = (r: Row) => r.cameraId === camA || r.cameraId === camB;
    expect((await expectRows("state=rejected", (r) => r.state === "rejected")).length).toBe(4);
    expect((await expectRows("state=confirmed,dispatched", (r) => ["confirmed", "dispatched"].includes(r.state))).length).toBe(8);
    expect((await expectRows("rule=shop_overflow", (r) => r.rule === "shop_overflow")).length).toBe(8);
    await expectRows("rule=street_vending,shop_overflow", ours);
    await expectRows(`cameraId=${camB}`, (r) => r.cameraId === camB);
    await expectRows(`street=${encodeURIComponent("人民路")}`, (r) => r.cameraId === camA);
    await expectRows("code=05/04", (r) => r.eventCode === "05/04");
    const from = new Date(T0 + 5 * MINUTE).toISOString();
    const to = new Date(T0 + 11 * MINUTE).toISOString();
    const inRange = await expectRows(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, (r) => r.startedAt >= from && r.startedAt < to);
    expect(inRange.length).toBe(8); // minutes 5–9 and the three at minute 10
    const offs = await expectRows("assigneeId=off1", (r) => r.dispatch?.assigneeId === "off1");
    expect(offs.map((r) => r.assigneeName)).toEqual(["队员老李", "队员老李", "队员老李"]);
    await expectRows(
      `state=dispatched&assigneeId=aux1&street=${encodeURIComponent("人民路")}`,
      (r) => r.dispatch?.assigneeId === "aux1" && r.cameraId === camA,
    );
    // Rows carry the names the table shows.
    const b = all.find((r) => r.cameraId === camB)!;
    expect(b).toMatchObject({ cameraName: "解放街, 北段", street: "解放街" });
  });

  it("pages without duplicates or gaps in every order, back and forth, and a case arriving meanwhile shifts nothing", async () => {
    const orders: Record<string, (a: Row, b: Row) => number> = {
      newest,
      oldest: (a, b) => -newest(a, b),
      priority: (a, b) => b.priority - a.priority || newest(a, b),
    };
    for (const [sort, cmp] of Object.entries(orders)) {
      const pages = await walk(`sort=${sort}&limit=5`);
      expect(
        pages.map((p) => p.items.length),
        sort,
      ).toEqual([5, 5, 5, 5, 4]);
      expect(ids(pages.flatMap((p) => p.items)), `${sort}: every case once, in order`).toEqual(ids([...all].sort(cmp)));
      expect(pages[0].prev).toBeNull();
      // Back from the last page along prev: the same pages in reverse.
      const back = [pages.at(-1)!];
      while (back.at(-1)!.prev) back.push(await table(`sort=${sort}&limit=5&before=${back.at(-1)!.prev}`));
      expect(back.map((p) => ids(p.items)).reverse(), `${sort}: back again`).toEqual(pages.map((p) => ids(p.items)));
    }
    // The three cases that share a start time are ordered by number, newest first.
    const tied = all.filter((r) => r.startedAt === new Date(T0 + 10 * MINUTE).toISOString()).sort(newest);
    expect(tied).toHaveLength(3);
    const page = await table(
      `sort=newest&limit=3&from=${encodeURIComponent(new Date(T0 + 10 * MINUTE).toISOString())}&to=${encodeURIComponent(new Date(T0 + 11 * MINUTE).toISOString())}`,
    );
    expect(ids(page.items)).toEqual(ids(tied));

    // Keyset paging: a new case at the top while someone is on page 2 does not repeat a row on page 3.
    const p1 = await table("sort=newest&limit=8");
    const p2 = await table(`sort=newest&limit=8&after=${p1.next}`);
    const fresh = await reportCandidate(db, { cameraId: camA, startedAt: new Date(T0 + 60 * MINUTE).toISOString() });
    const p3 = await table(`sort=newest&limit=8&after=${p2.next}`);
    const seen = [...ids(p1.items), ...ids(p2.items), ...ids(p3.items)];
    expect(new Set(seen).size).toBe(24);
    expect(seen).not.toContain(fresh);
    expect(p3.next).toBeNull();
    expect((await table("sort=newest&limit=1")).items[0].id).toBe(fresh);
    all.push((await table(`number=${(await api(be.url, "GET", `/cases/${fresh}`, { as: "op1" })).body.number}`)).items[0]);
  });

  it("finds one case by its number, written as CW-000123, cw-123 or 123", async () => {
    const c = all[5];
    const n = num(c);
    for (const written of [c.number, `cw-${n}`, String(n), ` ${c.number} `]) {
      const page = await table(`number=${encodeURIComponent(written)}`);
      expect(ids(page.items), written).toEqual([c.id]);
    }
    expect((await table("number=CW-999999")).items).toEqual([]);
    // The lookup the console's search box uses works for everyone, narrowed to their own tasks for field staff.
    const dispatchedToOff1 = all.find((r) => r.dispatch?.assigneeId === "off1")!;
    const other = all.find((r) => r.dispatch?.assigneeId === "aux1")!;
    expect((await api(be.url, "GET", `/cases?number=${dispatchedToOff1.number}&limit=1`, { as: "off1" })).body.items.map((r: Row) => r.id)).toEqual([
      dispatchedToOff1.id,
    ]);
    expect((await api(be.url, "GET", `/cases?number=${other.number}&limit=1`, { as: "off1" })).body.items).toEqual([]);
  });

  it("answers bad parameters with coded 400s that name the field", async () => {
    const cursorOfNewest = (await table("sort=newest&limit=2")).next!;
    const bad: [string, string][] = [
      ["state=lost", "state"],
      ["rule=parking", "rule"],
      ["sort=random", "sort"],
      ["limit=0", "limit"],
      ["limit=500", "limit"],
      ["number=ABC-12", "number"],
      ["from=yesterday", "from"],
      [`from=${encodeURIComponent(new Date(T0).toISOString())}&to=${encodeURIComponent(new Date(T0 - MINUTE).toISOString())}`, "to"],
      ["after=not-a-cursor", "after"],
      [`after=${Buffer.from(JSON.stringify({ s: "newest", p: 1, t: "x", n: 1 })).toString("base64url")}`, "after"],
      [`sort=oldest&after=${cursorOfNewest}`, "after"],
      [`after=${cursorOfNewest}&before=${cursorOfNewest}`, "before"],
      ["offset=10", ""],
    ];
    for (const [query, path] of bad) {
      const r = await api(be.url, "GET", `/all-cases?${query}`, { as: "op1" });
      expect(r.status, query).toBe(400);
      expect(r.body.code, query).toBe("invalid_request");
      // A list parameter names the item at fault (state.0); the console shows it at the field.
      const paths: string[] = r.body.fields.map((f: { path: string }) => f.path);
      expect(
        paths.some((p) => p === path || p.startsWith(`${path}.`)),
        `${query}: ${paths.join(" ")}`,
      ).toBe(true);
    }
    const e = await api(be.url, "GET", "/all-cases/export?lang=fr", { as: "op1" });
    expect([e.status, e.body.code, e.body.fields[0].path]).toEqual([400, "invalid_request", "lang"]);
  });

  it("exports the filtered list as CSV with a byte-order mark, headers and values in Chinese or English", async () => {
    const zh = await csv(`sort=oldest&cameraId=${camB}&lang=zh&timeZone=Asia/Shanghai`);
    expect(zh.status).toBe(200);
    expect(zh.type).toBe("text/csv; charset=utf-8");
    expect(zh.disposition).toMatch(/^attachment; filename="curbwatch-cases\.csv"$/);
    expect([...zh.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const zhLines = zh.bytes.toString("utf8").slice(1).split("\r\n");
    expect(zhLines[0]).toBe("案件编号,状态,违法行为,事件类型,摄像头,街道,发现时间,最后出现时间,优先级,处置人,任务,处置结果,处置时限,超期,结案时间");
    expect(zhLines.at(-1)).toBe("");
    const bRows = all.filter((r) => r.cameraId === camB).sort((a, b) => -newest(a, b));
    expect(zhLines.slice(1, -1).map((l) => l.split(",")[0])).toEqual(bRows.map((r) => r.number));
    // A dispatched case on camera B: Chinese words, the camera name quoted for its comma, Beijing time.
    const d = bRows.find((r) => r.state === "dispatched")!;
    const line = zhLines.find((l) => l.startsWith(`${d.number},`))!;
    const started = new Date(Date.parse(d.startedAt) + 8 * 3_600_000).toISOString().replace("T", " ").slice(0, 19);
    expect(line).toContain(`${d.number},已派遣,${d.rule === "shop_overflow" ? "店外经营" : "流动摊贩"},${d.eventCode},"解放街, 北段",解放街,${started},`);
    expect(line).toContain(`,${d.assigneeName},劝导,,`);

    const en = await csv(`sort=oldest&cameraId=${camB}&state=rejected&lang=en&timeZone=UTC`);
    expect([...en.bytes.subarray(0, 3)], "English keeps the BOM: camera and street names are Chinese").toEqual([0xef, 0xbb, 0xbf]);
    const enLines = en.bytes.toString("utf8").slice(1).split("\r\n");
    expect(enLines[0]).toBe(
      "Case number,State,Violation,Event code,Camera,Street,Started at,Last seen,Priority,Assignee,Task,Outcome,Due at,Overdue,Closed at",
    );
    const rejected = bRows.filter((r) => r.state === "rejected");
    expect(enLines.slice(1, -1)).toHaveLength(rejected.length);
    expect(enLines[1]).toContain(`${rejected[0].number},Rejected,`);
    expect(enLines[1]).toContain(`,${rejected[0].startedAt.replace("T", " ").slice(0, 19)},`);

    // No match: the header alone.
    const none = await csv("number=CW-999999&lang=en");
    expect(none.bytes.toString("utf8").slice(1).split("\r\n")).toEqual([enLines[0], ""]);
  });

  it("is for the command center and supervisors only: field staff are refused, in the back end", async () => {
    for (const who of ["off1", "aux1"]) {
      for (const path of ["/all-cases", "/all-cases/export", "/all-cases/assignees"]) {
        const r = await api(be.url, "GET", path, { as: who });
        expect([r.status, r.body.code], `${who} ${path}`).toEqual([403, "forbidden"]);
      }
    }
    expect((await api(be.url, "GET", "/all-cases")).status).toBe(401);
    expect((await table("limit=1", "sup1")).total).toBe(25);
    expect((await csv("lang=zh", "sup1")).status).toBe(200);
    const staff = (await api(be.url, "GET", "/all-cases/assignees", { as: "sup1" })).body as { id: string; name: string; role: string }[];
    expect(staff.map((s) => s.id).sort()).toEqual(["aux1", "off1"]);
  });
});
