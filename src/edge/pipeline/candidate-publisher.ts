import fs from "node:fs";
import path from "node:path";
import type { EvidenceRef } from "../../contracts/candidate.ts";
import type { Logger } from "../../shared/logger.ts";
import { stageClock } from "../../shared/stage-clock.ts";
import type { EvidenceFile, EvidenceRecorder } from "../evidence/evidence-recorder.ts";
import type { CandidateOutbox } from "../outbox/candidate-outbox.ts";
import type { EvidenceUploads } from "../outbox/evidence-uploads.ts";
import type { Situation, SituationEvent } from "../rules/situation.ts";
import { candidateMessage } from "./candidate-message.ts";

interface OpenCandidate {
  nextSeq: number;
  evidence: EvidenceRef[];
  latest: Situation;
  /** How far the situation's clips reach: the stream run's segment folder and its time there. */
  clip?: { dir: string; untilSec: number };
}

/**
 * Turns situation events into candidate messages in the outbox: assigns each candidate's seq,
 * gathers evidence (start snapshots + clip → an update; end snapshots → the end message) and
 * keeps the open candidates on disk so that after a restart a situation continues with the
 * same id and the next seq instead of being raised twice.
 */
export class CandidatePublisher {
  private open = new Map<string, OpenCandidate>();
  private chains = new Map<string, Promise<void>>();
  /** Snapshots and clips that could not be cut (no segment held them, ffmpeg failed), per camera. */
  readonly evidenceLost = new Map<string, number>();
  private extending = new Set<string>();

  constructor(
    private edgeId: string,
    private outbox: CandidateOutbox,
    private uploads: EvidenceUploads | null,
    private recorder: EvidenceRecorder | null,
    private stateFile: string,
    private log: Logger,
  ) {
    this.load();
  }

  /** Situations that were open when the edge last stopped, to hand back to their cameras' rules. */
  restorable(): Situation[] {
    return [...this.open.values()].map((o) => o.latest);
  }

  /** Candidates recorded as open whose start never reached the outbox (crash in between): start them now. */
  resendMissingStarts(): void {
    for (const o of this.open.values()) if (o.nextSeq === 0) this.handle({ phase: "start", situation: o.latest });
  }

  handle(ev: SituationEvent): void {
    this.chain(ev.situation.candidateId, () => this.step(ev));
  }

  /** Work on one candidate runs in order (its seq line must not interleave). */
  private chain(id: string, work: () => Promise<void>): void {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.then(work).catch((err) => this.log.error({ candidateId: id, err: (err as Error).message }, "candidate event failed"));
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }

  /** Resolves when every event handed in so far is in the outbox. */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  private async step(ev: SituationEvent): Promise<void> {
    const s = ev.situation;
    if (ev.phase === "start") {
      this.open.set(s.candidateId, { nextSeq: 0, evidence: [], latest: s });
      this.emit(s.candidateId, "start", s);
      if (this.recorder) {
        // Evidence of the start goes out as the next update, so the alert itself is not held back:
        // snapshots of the dwell frame and the clip from the pre-roll to a little after it.
        const files = await this.recorder.snapshots(s.dwellFrame, s, "start");
        if (!files.length) this.lost(s.cameraId);
        files.push(...(await this.cutClips(s, s.dwellFrame, s.dwellFrame.ptsSec + this.recorder.clipWindow.postSeconds, true)));
        if (files.length) {
          this.addEvidence(s.candidateId, files);
          this.emit(s.candidateId, "update", this.open.get(s.candidateId)!.latest);
        }
      }
      return;
    }
    const open = this.open.get(s.candidateId);
    if (!open) {
      this.log.warn({ candidateId: s.candidateId, phase: ev.phase }, "event for a candidate that is not open; ignored");
      return;
    }
    open.latest = s;
    if (ev.phase === "end" && this.recorder) {
      // The end snapshot is the last frame that showed the situation; the last clip runs to a little after it.
      const files = await this.recorder.snapshots(s.lastFrame, s, "end");
      if (!files.length) this.lost(s.cameraId);
      files.push(...(await this.cutClips(s, s.lastFrame, s.lastFrame.ptsSec + this.recorder.clipWindow.postSeconds, true)));
      this.addEvidence(s.candidateId, files);
    }
    this.emit(s.candidateId, ev.phase, s);
    if (ev.phase === "end") {
      this.open.delete(s.candidateId);
      this.save();
    }
  }

  /**
   * Open situations still going on: once a whole clip length has passed since the last clip,
   * cut the next one (sent as an update), so a long situation is covered by consecutive clips
   * of at most `maxSeconds` and the operator need not wait for its end.
   */
  extendClips(situations: readonly Situation[]): void {
    const recorder = this.recorder;
    if (!recorder) return;
    for (const s of situations) {
      const open = this.open.get(s.candidateId);
      const frame = s.lastFrame;
      if (!open?.clip || !frame.segmentDir || this.extending.has(s.candidateId)) continue;
      const from = open.clip.dir === frame.segmentDir ? open.clip.untilSec : 0;
      if (frame.ptsSec - from < recorder.clipWindow.maxSeconds) continue;
      this.extending.add(s.candidateId);
      this.chain(s.candidateId, async () => {
        try {
          const current = this.open.get(s.candidateId);
          if (!current) return;
          const clips = await this.cutClips(s, frame, frame.ptsSec, false);
          if (!clips.length) return;
          this.addEvidence(s.candidateId, clips);
          this.emit(s.candidateId, "update", current.latest);
        } finally {
          this.extending.delete(s.candidateId);
        }
      });
    }
  }

  /**
   * Clips from where the situation's clips reach so far (its pre-roll at first) up to `untilSec`
   * on the run of `frame`, each at most `maxSeconds`. Not `final`: only whole clip lengths are cut.
   * A stream restart starts a new run; its clips begin at the run's start.
   */
  private async cutClips(s: Situation, frame: Situation["lastFrame"], untilSec: number, final: boolean): Promise<EvidenceFile[]> {
    const recorder = this.recorder;
    const open = this.open.get(s.candidateId);
    if (!recorder || !open) return [];
    const dir = frame.segmentDir;
    if (!dir) {
      this.lost(s.cameraId);
      return [];
    }
    const w = recorder.clipWindow;
    if (open.clip?.dir !== dir) {
      const stayedSec = (s.dwellReachedMs - s.startedAtMs) / 1000;
      const preRoll = open.clip ? 0 : Math.max(0, s.dwellFrame.ptsSec - stayedSec - w.preSeconds);
      open.clip = { dir, untilSec: preRoll };
    }
    const clips: EvidenceFile[] = [];
    while (untilSec - open.clip.untilSec > 0.05) {
      // Until the situation ends, only whole clips of the maximum length are cut.
      if (!final && untilSec - open.clip.untilSec < w.maxSeconds) break;
      const to = final ? untilSec : open.clip.untilSec + w.maxSeconds;
      const cut = await recorder.clipSpan(s, dir, open.clip.untilSec, to, (w.postSeconds + 30) * 1000);
      if (!cut || cut.coveredUntilSec <= open.clip.untilSec) {
        if (!cut) this.lost(s.cameraId);
        break;
      }
      clips.push(cut.clip);
      open.clip.untilSec = cut.coveredUntilSec;
    }
    return clips;
  }

  private lost(cameraId: string): void {
    this.evidenceLost.set(cameraId, (this.evidenceLost.get(cameraId) ?? 0) + 1);
  }

  private addEvidence(candidateId: string, files: EvidenceFile[]): void {
    const open = this.open.get(candidateId)!;
    for (const f of files) {
      const { file, ...ref } = f;
      open.evidence.push(ref);
      this.uploads?.enqueue({ file, sha256: ref.sha256, kind: ref.kind, contentType: ref.contentType, candidateId, cameraId: open.latest.cameraId }, ref.bytes);
    }
  }

  private emit(candidateId: string, phase: SituationEvent["phase"], s: Situation): void {
    const open = this.open.get(candidateId)!;
    const seq = open.nextSeq;
    // A new candidate is on disk before its start is: a crash in between restarts it with seq 0 (see resendMissingStarts).
    if (seq === 0) this.save();
    // The outbox append is the commit point; the state file follows it (and is repaired from the outbox on load).
    stageClock.time("outbox", () => {
      this.outbox.enqueue(candidateMessage(this.edgeId, { phase, situation: s }, seq, [...open.evidence]));
      open.nextSeq++;
      this.save();
    });
    // Logged after the fsync: a line here means the message will reach the broker.
    this.log.info({ candidateId, seq, phase, evidence: open.evidence.length }, "candidate queued");
  }

  private save(): void {
    const tmp = `${this.stateFile}.tmp`;
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify([...this.open.entries()]));
    fs.renameSync(tmp, this.stateFile);
  }

  private load(): void {
    try {
      this.open = new Map(JSON.parse(fs.readFileSync(this.stateFile, "utf8")) as [string, OpenCandidate][]);
    } catch {
      this.open = new Map();
    }
    // A crash between the outbox append and the state write leaves the outbox ahead: trust it.
    for (const m of this.outbox.recoveredMessages()) {
      const open = this.open.get(m.candidateId);
      if (!open) continue;
      if (m.phase === "end") this.open.delete(m.candidateId);
      else if (m.seq >= open.nextSeq) {
        open.nextSeq = m.seq + 1;
        open.evidence = m.evidence;
      }
    }
  }
}
