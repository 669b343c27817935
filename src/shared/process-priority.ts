import os from "node:os";

/**
 * Niceness of the edge's ffmpeg children. Receiving and decoding is steady, buffered work (the
 * RTSP socket and the frame queue absorb a delay); the detector is the latency-critical step and
 * runs on the Node main thread. On a box where cores are short, a lower priority for ffmpeg lets
 * the detector run when a sample is waiting instead of queuing behind dozens of decoders.
 */
export const FFMPEG_NICENESS = 5;

/** Lowers a child's priority; a platform that refuses (Windows without rights, containers) leaves it as it was. */
export function deprioritise(pid: number | undefined, niceness = FFMPEG_NICENESS): void {
  if (!pid) return;
  try {
    os.setPriority(pid, niceness);
  } catch {
    /* not allowed here: the child keeps the default priority */
  }
}
