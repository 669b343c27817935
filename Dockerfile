# One image for every CurbWatch role; the command picks the role (backend | edge | start).
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# ONNXRUNTIME_NODE_INSTALL=skip: onnxruntime-node's documented switch; its CPU binding ships in
# the package and nothing is downloaded from outside the npm registry.
ENV NODE_ENV=production ONNXRUNTIME_NODE_INSTALL=skip CURBWATCH_SKIP_DEMO_CLIP=1
# Dependencies first, from the lock file alone, so this layer is reused while only sources change.
# The project's own postinstall needs the sources, so it runs after they are copied.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# The Prisma client and the web console are built from the sources just copied.
RUN npm run db:generate \
 && npm run build:web \
 && test -f src/web/dist/index.html
EXPOSE 8080
ENTRYPOINT ["node", "bin/curbwatch.js"]
CMD ["backend"]
