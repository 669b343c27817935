/**
 * Layering rules checked in CI (`npm run check:deps`). Each rule names the direction it forbids
 * and why; the domain folder may not exist yet, the rule then holds trivially.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "A cycle makes both modules load-order dependent and untestable alone.",
      from: {},
      to: { circular: true },
    },
    {
      name: "repositories-not-services",
      severity: "error",
      comment:
        "Repositories hold data access only; rules they need belong in the domain. They may implement the services' ports (services/ports/), which are declarations.",
      from: { path: "^src/backend/repositories/" },
      to: { path: "^src/backend/services/", pathNot: "^src/backend/services/ports/" },
    },
    {
      name: "ports-are-declarations",
      severity: "error",
      comment: "The services' ports say what they need from storage in the domain's words; they know no implementation of it.",
      from: { path: "^src/backend/services/ports/" },
      to: { path: ["^src/backend/(repositories|db|controllers|http)/", "src/generated/"] },
    },
    {
      name: "workflow-services-no-prisma",
      severity: "error",
      comment:
        "The case workflow's services take their storage as ports (services/ports/) through their constructors: no Prisma client, no repository, no database handle, so they run against in-memory stores in unit tests.",
      from: { path: "^src/backend/services/(case-workflow|overdue|case-notes|field-task|evidence)\\.service\\.ts$" },
      to: { path: ["src/generated/", "^src/backend/(repositories|db)/"] },
    },
    {
      name: "services-no-prisma",
      severity: "error",
      comment: "Every service reaches storage through repositories handed to it: no Prisma client and no database handle of its own.",
      from: { path: "^src/backend/(services|auth)/" },
      to: { path: ["src/generated/", "^src/backend/db/"] },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "Domain rules depend on nothing that touches storage or orchestration.",
      from: { path: "^src/backend/domain/" },
      to: { path: "^src/backend/(repositories|services|controllers|http|db)/" },
    },
    {
      name: "services-not-http",
      severity: "error",
      comment: "Services speak the domain (DomainError, Actor); statuses and requests belong to controllers and http/.",
      from: { path: "^src/backend/(services|repositories|auth|audit|ingest)/" },
      to: { path: "^src/backend/(http|controllers)/" },
    },
    {
      name: "edge-not-backend",
      severity: "error",
      comment: "The edge runs on its own machine; it shares only contracts and src/shared with the back end.",
      from: { path: "^src/edge/" },
      to: { path: "^src/backend/" },
    },
    {
      name: "web-only-contracts",
      severity: "error",
      comment: "The browser bundle may import the API contracts and its own files, nothing from the server side.",
      from: { path: "^src/web/" },
      to: { path: "^src/", pathNot: ["^src/web/", "^src/contracts/"] },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "An import that does not resolve fails at run time.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|src/generated|src/web/dist)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
