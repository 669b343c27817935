import type { ObjectRole } from "../contracts/roles.ts";

/** The 80 COCO classes in the order COCO-trained detectors (and YOLO label files) number them. */
export const COCO80 = [
  "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
  "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
  "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
  "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
  "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
  "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
  "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven",
  "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
] as const;

/**
 * What each COCO class means to the street rules. COCO has no cart, stall or carton,
 * so vending is inferred from the gear that usually marks a pitch.
 */
export const COCO_ROLES: Record<string, ObjectRole> = {
  person: "person",
  // A parasol and a table are how a pitch is set up; COCO calls a street stall's table "dining table".
  umbrella: "vending_gear",
  "dining table": "vending_gear",
  // Spread goods and carried stock.
  bottle: "goods", cup: "goods", bowl: "goods", "wine glass": "goods",
  banana: "goods", apple: "goods", orange: "goods", broccoli: "goods", carrot: "goods",
  sandwich: "goods", "hot dog": "goods", pizza: "goods", donut: "goods", cake: "goods",
  "potted plant": "goods", vase: "goods", book: "goods",
  suitcase: "goods", handbag: "goods", backpack: "goods",
  // Shop overflow: seating put out on the pavement.
  chair: "furniture", bench: "furniture", couch: "furniture",
  // Parked bicycles are not vending gear: a bicycle is a vehicle, whoever stands next to it.
  bicycle: "vehicle", car: "vehicle", motorcycle: "vehicle", bus: "vehicle", truck: "vehicle", train: "vehicle", boat: "vehicle",
};

export const COCO_ROLE_NOTES =
  "person→person. vending_gear: umbrella (parasol over a pitch), dining table (COCO's label for a stall table). " +
  "goods: bottles, cups, bowls, fruit and vegetables, food, potted plants, vases, books, and carried stock (suitcase, handbag, backpack). " +
  "furniture: chair, bench, couch (shop overflow seating). vehicle: bicycle, car, motorcycle, bus, truck, train, boat — " +
  "parked bicycles stay vehicles, never vending gear. Everything else: other. COCO has no cart, stall or carton; a department's own model can add them.";
