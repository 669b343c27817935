import type { RequestHandler } from "express";

/**
 * Headers every response carries: no MIME sniffing, no framing (clickjacking), no referrer
 * leaking case ids to other sites; API answers are never cached by browsers or proxies
 * (they hold personal data and evidence).
 */
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "no-referrer");
  if (req.path.startsWith("/api/")) res.setHeader("Cache-Control", "no-store");
  next();
};
