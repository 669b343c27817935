import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { overseers } from "../http/roles.ts";
import type { CaseFilePdf } from "../services/case-file-pdf.ts";

/** The printable case file (案卷) as PDF. */
export function caseFileController(pdf: CaseFilePdf): Router {
  const r = Router();
  apiRoute(r, {
    method: "get",
    path: "/cases/:id/case-file.pdf",
    tag: "cases",
    access: overseers,
    summary: "Download the printable case file (summary, evidence with hashes, timeline, outcome, statements)",
    produces: ["application/pdf"],
    handler: async ({ params, res }) => {
      const bytes = await pdf.render(params.id);
      res.setHeader("Content-Type", "application/pdf");
      res.setHeader("Content-Disposition", `inline; filename="case-file-${params.id}.pdf"`);
      res.setHeader("Cache-Control", "no-store");
      res.end(bytes);
      return undefined;
    },
  });
  return r;
}
