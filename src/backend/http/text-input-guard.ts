import type { RequestHandler } from "express";
import { textInputProblem, textProblem } from "../../contracts/safe-text.ts";
import { HttpError } from "./errors.ts";

/**
 * One gate for every API request: the decoded path, the query and the JSON body must hold
 * only storable text (no NUL, no lone surrogates; see safe-text.ts). Without it such a
 * value reached PostgreSQL and came back as a 500; now the caller gets 400 naming the field.
 * Mounted after express.json, before the routers.
 */
export const textInputGuard: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(new HttpError(400, "the request path is not valid percent-encoded UTF-8"));
  }
  const inPath = textProblem(path);
  if (inPath) return next(new HttpError(400, `the request path ${inPath}`));
  const inQuery = textInputProblem(req.query);
  if (inQuery) return next(new HttpError(400, `query parameter ${inQuery.path} ${inQuery.problem}`));
  const inBody = req.body === undefined || Buffer.isBuffer(req.body) ? null : textInputProblem(req.body);
  if (inBody) return next(new HttpError(400, `field ${inBody.path} ${inBody.problem}`));
  next();
};
