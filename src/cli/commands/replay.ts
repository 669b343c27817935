import path from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../../config/load.ts";
import { createLogger } from "../../shared/logger.ts";
import { readEdgeConfigFile } from "../../edge/config/edge-config-file.ts";
import { replayVideo } from "../../edge/replay/replay-video.ts";
import { replayLine, formatReplayLine } from "../../edge/replay/replay-line.ts";
import type { Situation } from "../../edge/rules/situation.ts";
import { releaseDetectors } from "../../detector/index.ts";
import { writeSituationEvidence } from "../../edge/evidence/write-evidence.ts";

export function register(program: Command): void {
  program
    .command("replay")
    .description("run the edge pipeline on a video file as fast as possible and print every candidate event")
    .argument("<video>", "video file (any format ffmpeg reads)")
    .option("--config <file>", "edge config (YAML or JSON) with the camera's zones and rules (required)")
    .option("--camera <id>", "which camera of the config to replay (default: the first)")
    .option("--start-at <iso>", "wall time that second 0 of the video stands for (arming schedules are judged on it)")
    .option("--json", "one JSON object per line")
    .option("--evidence <dir>", "write each candidate's annotated snapshot (zone, front line, boxes) into this folder")
    .action(async (video: string, opts: { config?: string; camera?: string; startAt?: string; json?: boolean; evidence?: string }, cmd: Command) => {
      // Here --config names the edge config; the program-wide --config option would otherwise
      // swallow it, so the process config comes from CURBWATCH_CONFIG / curbwatch.yaml only.
      const edgeConfigFile = opts.config ?? (cmd.optsWithGlobals() as { config?: string }).config;
      if (!edgeConfigFile) throw new Error("replay needs --config FILE (an edge config with zones and rules)");
      const config = loadConfig({});
      const log = createLogger("replay", config.log.level === "info" ? "warn" : config.log.level);
      const edgeConfig = readEdgeConfigFile(edgeConfigFile);
      const startAtMs = opts.startAt ? Date.parse(opts.startAt) : undefined;
      if (startAtMs !== undefined && Number.isNaN(startAtMs)) throw new Error(`--start-at: not a date: ${opts.startAt}`);
      const seqs = new Map<string, number>();
      // Snapshots are cut from the file after the replay, so writing them never slows the pipeline.
      const raised: Situation[] = [];
      const summary = await replayVideo({
        video: path.resolve(video),
        config: edgeConfig,
        cameraId: opts.camera,
        modelsDir: config.edge.modelsDir,
        threads: config.edge.detectorThreads,
        startAtMs,
        log,
        onEvent: (ev) => {
          const seq = seqs.get(ev.situation.candidateId) ?? 0;
          seqs.set(ev.situation.candidateId, seq + 1);
          if (opts.evidence && ev.phase === "start") raised.push(structuredClone(ev.situation));
          const line = replayLine(ev, seq);
          process.stdout.write(`${opts.json ? JSON.stringify(line) : formatReplayLine(line)}\n`);
        },
      });
      log.info(summary, "replay finished");
      for (const s of raised) {
        const file = await writeSituationEvidence(path.resolve(opts.evidence!), path.resolve(video), s);
        process.stderr.write(`evidence ${file}\n`);
      }
      await releaseDetectors();
    });
}
