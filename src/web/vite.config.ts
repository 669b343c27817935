import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const root = fileURLToPath(new URL(".", import.meta.url));

// The console is served by the back end (same origin), so the dev server proxies /api to it.
export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // ECharts is large and only the dashboard needs it: its own chunk keeps the officer's phone load small.
        manualChunks(id: string) {
          if (id.includes("node_modules/echarts") || id.includes("node_modules/zrender")) return "charts";
          if (id.includes("jsmpeg")) return "live";
          return undefined;
        },
      },
    },
  },
  server: { proxy: { "/api": { target: process.env.CURBWATCH_URL ?? "http://127.0.0.1:8080", ws: true } } },
});
