import type { BackendModuleFactory } from "./server.ts";

/** Feature modules of the back end, in start order. */
export const backendModules: BackendModuleFactory[] = [];
