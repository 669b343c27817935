#!/bin/sh
# Stand-in for Prisma's native schema-engine binary, which Prisma downloads from its own CDN
# (not reachable from an npm-only install). `prisma generate` only checks that a file exists;
# migrations go through the WebAssembly schema engine instead (see src/backend/db/migrate.ts).
echo "CurbWatch applies migrations with the WebAssembly schema engine: use 'curbwatch migrate' or 'npm run db:migration'." >&2
exit 1
