import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { HttpError } from "../http/errors.ts";
import { overseers } from "../http/roles.ts";
import { CaseFilePdf, CaseFileUnavailable } from "../services/case-file-pdf.ts";

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
      let bytes: Buffer;
      try {
        bytes = await pdf.render(params.id);
      } catch (err) {
        if (err instanceof CaseFileUnavailable) throw new HttpError(503, err.message).withCode("case_file_unavailable");
        throw err;
      }
      res.setHeader("Content-Type", "application/pdf");
      res.setHeader("Content-Disposition", `inline; filename="case-file-${params.id}.pdf"`);
      res.setHeader("Cache-Control", "no-store");
      res.end(bytes);
      return undefined;
    },
  });
  return r;
}
