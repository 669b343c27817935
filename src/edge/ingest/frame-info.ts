/** What `showinfo` says about one sampled frame, before it is scaled. */
export interface FrameInfo {
  ptsSec: number;
  originalWidth: number;
  originalHeight: number;
  keyframe: boolean;
}

const showinfoLine = /\bn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[\d.]+).*?\bs:(\d+)x(\d+).*?\biskey:(\d)/;

export function parseShowinfo(line: string): FrameInfo | null {
  const m = showinfoLine.exec(line);
  if (!m) return null;
  return { ptsSec: Number(m[1]), originalWidth: Number(m[2]), originalHeight: Number(m[3]), keyframe: m[4] === "1" };
}

const statsTime = /\btime=\s*(-?\d+):(\d+):([\d.]+)/;

/** ffmpeg's progress line (`frame= … time=00:00:12.34 …`): the media time it has reached, in seconds. */
export function parseProgressTime(line: string): number | null {
  const m = statsTime.exec(line);
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}
