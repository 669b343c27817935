export * from "./roles.ts";
export * from "./topics.ts";
export * from "./health.ts";
export * from "./candidate.ts";
export * from "./commit-ack.ts";
export * from "./edge-config.ts";
export * from "./evidence-upload.ts";
export * from "./statistics.ts";
