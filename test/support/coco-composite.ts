// The compositing helpers live with the scene generator (the benchmark uses them too).
export * from "../../scripts/scenes/coco-composite.ts";
