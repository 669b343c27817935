import type { Rule, Zone } from "../../contracts/edge-config.ts";
import type { TrackedObject } from "../../contracts/candidate.ts";
import { isArmed } from "./arming-schedule.ts";
import type { RuleVerdict } from "./rule-context.ts";
import type { LifecycleStanding } from "./rule-standing.ts";
import { candidateIdFor, type FrameRef, type Situation, type SituationEvent } from "./situation.ts";

/** Updates are for changes an operator cares about, not for every frame. */
const MIN_UPDATE_INTERVAL_MS = 10_000;

/**
 * Turns per-frame verdicts of one zone × rule into one situation with a stable id:
 * start when the dwell is reached inside the arming schedule and outside the cooldown,
 * update when its objects change, end when nothing qualified for `endAfterSeconds`.
 * A flicker shorter than that never ends a situation, so it never mints a new id.
 */
export class SituationLifecycle {
  private active: Situation | null = null;
  private cooldownUntilMs = -Infinity;
  private lastUpdateMs = 0;
  private lastEndedMs = -Infinity;
  /** Why the last qualifying frame did not start a situation (tests and logs). */
  lastSuppression: "schedule" | "cooldown" | null = null;

  constructor(
    private cameraId: string,
    public zone: Zone,
    public rule: Rule,
  ) {}

  get current(): Situation | null {
    return this.active;
  }

  /** The open situation and the cooldown, for where the rule stands (`ruleStanding`). */
  get standing(): LifecycleStanding {
    return { raisedAtMs: this.active?.dwellReachedMs ?? null, cooldownUntilMs: this.cooldownUntilMs };
  }

  evaluate(verdict: RuleVerdict, frame: FrameRef): SituationEvent[] {
    const t = frame.tMs;
    const s = this.active;
    if (s) {
      if (verdict.qualifies) {
        const objects = toTracked(verdict);
        const changed = objects.map((o) => o.trackId).join() !== s.objects.map((o) => o.trackId).join();
        const best = Math.max(s.bestScore, ...objects.map((o) => o.score));
        const improved = best >= s.bestScore + 0.05;
        s.lastSeenMs = t;
        s.lastFrame = frame;
        s.videoEndSec = frame.videoSec;
        s.objects = objects;
        s.bestScore = best;
        if ((changed || improved) && t - this.lastUpdateMs >= MIN_UPDATE_INTERVAL_MS) {
          this.lastUpdateMs = t;
          return [{ phase: "update", situation: { ...s } }];
        }
        return [];
      }
      if (t - s.lastSeenMs >= this.rule.endAfterSeconds * 1000) return [this.end()];
      return [];
    }
    if (!verdict.qualifies) return [];
    if (t < this.cooldownUntilMs) {
      this.lastSuppression = "cooldown";
      return [];
    }
    if (!isArmed(this.rule.schedule, this.rule.timezone, t)) {
      this.lastSuppression = "schedule";
      return [];
    }
    this.lastSuppression = null;
    const objects = toTracked(verdict);
    // A situation never reaches back into the previous one of the same zone × rule.
    const startedAtMs = Math.min(Math.max(verdict.sinceMs, this.lastEndedMs), t);
    this.active = {
      // Keyed on the moment the dwell was reached: strictly increasing per zone × rule, so unique.
      candidateId: candidateIdFor(this.cameraId, this.zone.id, this.rule.id, t),
      cameraId: this.cameraId,
      zone: this.zone,
      rule: this.rule,
      startedAtMs,
      dwellReachedMs: t,
      lastSeenMs: t,
      videoStartSec: Math.max(0, frame.videoSec - (t - startedAtMs) / 1000),
      videoEndSec: frame.videoSec,
      bestScore: Math.max(...objects.map((o) => o.score)),
      objects,
      dwellFrame: frame,
      lastFrame: frame,
    };
    this.lastUpdateMs = t;
    return [{ phase: "start", situation: { ...this.active } }];
  }

  /** End the open situation now (end of a replayed file, a removed zone, shutdown of a replay). */
  end(): SituationEvent {
    const s = this.active!;
    this.active = null;
    s.endedAtMs = s.lastSeenMs;
    this.lastEndedMs = s.lastSeenMs;
    this.cooldownUntilMs = s.lastSeenMs + this.rule.cooldownSeconds * 1000;
    return { phase: "end", situation: { ...s } };
  }

  /** Continue a situation that was open when the edge stopped (same id, same seq line). */
  restore(s: Situation): void {
    this.active = { ...s, zone: this.zone, rule: this.rule };
    this.lastUpdateMs = s.lastSeenMs;
  }
}

function toTracked(v: RuleVerdict): TrackedObject[] {
  return v.objects.map((o) => ({
    trackId: o.track.id,
    label: o.track.label,
    role: o.track.role,
    score: round3(o.track.score),
    box: o.box.map(round4) as TrackedObject["box"],
  }));
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const round4 = (v: number) => Math.round(v * 10000) / 10000;
