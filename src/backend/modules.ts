import type { BackendModuleFactory } from "./server.ts";
import { peopleModule } from "./people.module.ts";
import { ingestModule } from "./ingest.module.ts";
import { casesModule } from "./cases.module.ts";
import { consoleModule } from "./console.module.ts";
import { camerasModule } from "./cameras.module.ts";
import { publicModule } from "./public.module.ts";

/** Feature modules of the back end, in start order. `peopleModule` comes first: its router identifies the actor for all others. */
export const backendModules: BackendModuleFactory[] = [peopleModule, camerasModule, casesModule, publicModule, consoleModule, ingestModule];
