# One image for every CurbWatch role; the command picks the role (backend | edge | start).
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production ONNXRUNTIME_NODE_INSTALL=skip CURBWATCH_SKIP_DEMO_CLIP=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
EXPOSE 8080
ENTRYPOINT ["node", "bin/curbwatch.js"]
CMD ["backend"]
