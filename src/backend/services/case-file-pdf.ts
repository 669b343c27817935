import fs from "node:fs";
import PDFDocument from "pdfkit";
import { chainIntact } from "../audit/chain-integrity.ts";
import { DomainError } from "../domain/errors.ts";
import type { CaseQueryService, CaseReads } from "./case-query.service.ts";
import type { EvidenceStore } from "./evidence-store.ts";
import { wordFor } from "./case-words.ts";

/** Debian's fonts-noto-cjk; a PDF of a Chinese case file without it would print empty boxes. */
const CJK_FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"];
const CJK_FACE = "NotoSansCJKsc-Regular";

/** What each recorded action is called in the case file. */
const actionWords: Record<string, string> = {
  "case.created": "系统生成候选事件",
  "candidate.received": "接收边缘端候选事件",
  "candidate.reported": "边缘端上报候选事件",
  "candidate.updated": "边缘端更新候选事件",
  "case.overdue": "超过处置时限",
  overdue: "超过处置时限",
  "evidence.accessed": "查阅证据",
  "evidence.purged": "证据按保留期删除",
  "case.access_code_issued": "签发当事人查询码",
  "case.confirm": "坐席确认立案审核",
  "case.reject": "坐席驳回",
  "case.merge": "合并到其他案件",
  "case.merge_received": "并入重复案件",
  "case.dispatch": "派遣处置人员",
  "task.accepted": "处置人员接收任务",
  "case.outcome": "登记处置结果",
  "case.send_back": "退回返工",
  "case.verify": "核查通过",
  "case.close": "结案",
  "evidence.stored": "证据入库",
  "evidence.read": "查阅证据",
  "party.statement": "当事人陈述申辩",
  "party.statement_read": "已阅当事人陈述申辩",
  "case.note": "添加备注",
  "case.access_code": "签发当事人查询码",
};

/**
 * The printable case file (案卷): summary, evidence snapshots with their SHA-256, the timeline in
 * words with the chain's integrity status, the outcome and the party's statements.
 */
export class CaseFilePdf {
  constructor(
    private queries: CaseQueryService,
    private cases: Pick<CaseReads, "camera" | "recordOf">,
    private store: EvidenceStore,
    private clock: () => Date = () => new Date(),
  ) {}

  static fontPath(): string | null {
    return CJK_FONTS.find((f) => fs.existsSync(f)) ?? null;
  }

  async render(caseId: string): Promise<Buffer> {
    const font = CaseFilePdf.fontPath();
    if (!font) throw new DomainError("unavailable", "no CJK font (install fonts-noto-cjk)").withCode("case_file_unavailable");
    const c = await this.queries.detail(caseId);
    const [camera, entries] = await Promise.all([this.cases.camera(c.cameraId), this.cases.recordOf(c.candidateId)]);
    const intact = chainIntact(c.candidateId, entries);
    // Who acted, by name with the login id beside it (a printed record must identify the person); one query for all.
    const people = await this.queries.people(entries.map((e) => e.actorId));
    const actor = (id: string) => {
      const p = people.get(id);
      if (p) return `${p.name}（${id}）`;
      if (id === "party") return "当事人";
      if (id.startsWith("edge:")) return "边缘节点";
      if (id.startsWith("system:")) return "系统";
      return id;
    };

    const doc = new PDFDocument({ size: "A4", margin: 50, info: { Title: `案卷 ${c.number}`, Author: "CurbWatch" } });
    const chunks: Buffer[] = [];
    doc.on("data", (d: Buffer) => chunks.push(d));
    const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
    doc.font(font, CJK_FACE);

    doc.fontSize(20).text(`非现场执法案卷  ${c.number}`, { align: "center" });
    doc
      .moveDown(0.5)
      .fontSize(9)
      .fillColor("#555")
      .text(`生成时间 ${fmt(this.clock())} · 全过程记录 ${intact ? "完整（哈希链校验通过）" : "异常（哈希链校验未通过）"}`, { align: "center" })
      .fillColor("black");

    section(doc, "一、案件概况");
    const facts: [string, string][] = [
      ["案件编号", c.number],
      ["状态", wordFor(c.state, "zh")],
      ["事件类型", `${c.eventCode} ${c.rule === "street_vending" ? "流动摊贩（无照经营游商）" : "店外经营"}`],
      ["摄像头", `${camera?.name ?? c.cameraId}（${c.cameraId}）`],
      ["地点", [camera?.district, camera?.street, camera?.address].filter(Boolean).join(" ") || "—"],
      ["发现时间", `${fmt(c.startedAt)} 至 ${fmt(c.lastSeenAt)}`],
      ["处置人员", c.dispatch ? `${c.dispatch.assigneeName ?? c.dispatch.assigneeId}（${c.dispatch.assigneeId}）` : "—"],
    ];
    for (const [k, v] of facts) doc.fontSize(11).text(`${k}：${v}`);

    section(doc, "二、证据");
    for (const e of c.evidence) {
      doc.fontSize(10).text(`${evidenceWord(e.kind)} · ${e.contentType} · ${e.bytes} 字节`);
      doc.fontSize(8).fillColor("#333").text(`SHA-256 ${e.sha256}`).fillColor("black");
      const file = this.store.pathOf(e.sha256);
      if (e.contentType === "image/jpeg" && fs.existsSync(file) && !e.kind.endsWith("_annotated")) {
        if (doc.y > 520) doc.addPage();
        doc.image(file, { fit: [495, 240] });
        doc.moveDown(0.5);
      }
    }

    section(doc, "三、处置结果");
    if (c.outcome) {
      doc.fontSize(11).text(`${wordFor(c.outcome.outcome, "zh")}（${fmt(c.outcome.at)}）`);
      if (c.outcome.reason) doc.text(`理由：${c.outcome.reason}`);
      if (c.outcome.note) doc.text(`备注：${c.outcome.note}`);
    } else doc.fontSize(11).text("尚未登记处置结果");

    section(doc, "四、当事人陈述申辩");
    const statements = entries.filter((e) => e.action === "party.statement");
    if (!statements.length) doc.fontSize(11).text("无");
    for (const s of statements) {
      const a = (s.after ?? {}) as { text?: string; contact?: string | null };
      doc.fontSize(10).text(`${fmt(s.at)}：${a.text ?? ""}${a.contact ? `（联系方式 ${a.contact}）` : ""}`);
    }

    section(doc, `五、全过程记录（${entries.length} 条，${intact ? "哈希链完整" : "哈希链异常"}）`);
    for (const e of entries) {
      if (isRead(e.action)) continue;
      doc.fontSize(9).text(`${fmt(e.at)}  ${actionWords[e.action] ?? e.action}  操作人 ${actor(e.actorId)}`);
    }
    const reads = entries.filter((e) => isRead(e.action)).length;
    if (reads) doc.fontSize(9).fillColor("#555").text(`（另有 ${reads} 次证据查阅记录）`).fillColor("black");
    doc.end();
    return done;
  }
}

/** Evidence reads are counted, not listed: they would bury the steps of the case. */
const isRead = (action: string) => action === "evidence.accessed" || action === "evidence.read";

function section(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(0.8).fontSize(14).text(title);
  doc.moveDown(0.3);
}

function evidenceWord(kind: string): string {
  return (
    ({ snapshot_start: "开始时快照", snapshot_end: "结束时快照", clip: "视频片段", officer_photo: "队员现场照片" } as Record<string, string>)[
      kind.replace(/_annotated$/, "")
    ] ?? kind
  );
}

function fmt(d: Date | string | null | undefined): string {
  if (!d) return "—";
  return new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
}
