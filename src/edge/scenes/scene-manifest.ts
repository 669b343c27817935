import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { describeConfigProblems } from "../config/config-validation.ts";

const ruleKind = z.enum(["street_vending", "shop_overflow"]);

/** What must happen in a scene: a rule's candidate starting inside a window, or nothing at all. */
const expectationSchema = z.union([
  z.literal("nothing"),
  z
    .object({
      rule: ruleKind,
      /** Video seconds in which the candidate must be raised (its dwell reached), both inclusive. */
      within: z.tuple([z.number().nonnegative(), z.number().nonnegative()]),
    })
    .refine((e) => e.within[0] <= e.within[1], "within must be [from, to] with from <= to"),
]);

const sceneSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    description: z.string().default(""),
    /** A video file, relative to the manifest (or absolute). */
    video: z.string().min(1).optional(),
    /** Or a still image held for `seconds`, turned into a video at `fps` by ffmpeg. */
    still: z.object({ image: z.string().min(1), seconds: z.number().positive().max(3600), fps: z.number().positive().max(30).default(2) }).optional(),
    /** Edge config (YAML or JSON) whose first camera's zones and rules judge the scene. */
    config: z.string().min(1),
    expect: expectationSchema,
  })
  .refine((s) => (s.video === undefined) !== (s.still === undefined), "a scene needs exactly one of video or still");

export const sceneManifestSchema = z.object({
  schema: z.literal("curbwatch.scenes/v1").default("curbwatch.scenes/v1"),
  scenes: z.array(sceneSchema).min(1),
});
export type SceneManifest = z.infer<typeof sceneManifestSchema>;
export type Scene = z.infer<typeof sceneSchema>;
export type SceneExpectation = z.infer<typeof expectationSchema>;

/** Reads a YAML or JSON scene manifest; file paths in it are made absolute against its folder. */
export function readSceneManifest(file: string): SceneManifest {
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read scene manifest ${file}: ${(err as Error).message}`, { cause: err });
  }
  const r = sceneManifestSchema.safeParse(raw);
  if (!r.success) throw new Error(`invalid scene manifest ${file}: ${describeConfigProblems(r.error)}`);
  const ids = new Set<string>();
  for (const s of r.data.scenes) {
    if (ids.has(s.id)) throw new Error(`invalid scene manifest ${file}: scene id "${s.id}" appears twice`);
    ids.add(s.id);
  }
  const dir = path.dirname(path.resolve(file));
  const abs = (p: string) => path.resolve(dir, p);
  return {
    ...r.data,
    scenes: r.data.scenes.map((s) => ({
      ...s,
      config: abs(s.config),
      ...(s.video ? { video: abs(s.video) } : {}),
      ...(s.still ? { still: { ...s.still, image: abs(s.still.image) } } : {}),
    })),
  };
}
