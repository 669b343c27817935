import { Router } from "express";
import type { BackendModuleFactory } from "./server.ts";
import { identifyActor, ACTOR_HEADER } from "./http/actor.ts";
import { RegistryService } from "./services/registry.service.ts";
import { registryController } from "./controllers/registry.controller.ts";

/**
 * People and registry, minimal until issue 6. Its first router identifies the actor of
 * every /api request; issue 6 replaces that one middleware with sessions.
 */
export const peopleModule: BackendModuleFactory = (ctx) => {
  const registry = new RegistryService(ctx.db);
  const actor = Router();
  actor.use(identifyActor(registry));
  return {
    name: "people",
    routes: [actor, registryController(registry)],
    async start() {
      const created = await registry.ensureBootstrapAdministrator();
      if (created) ctx.log.warn({ user: created }, `no users yet: created administrator "${created}"; until sessions exist (issue 6) requests name their user in ${ACTOR_HEADER}`);
    },
  };
};
