import type { CameraView } from "../../../contracts/api/camera.ts";
import type { CertificateView, EventCodeView, RejectReasonView, ShopView, UserRole, UserView, VendorView } from "../../../contracts/api/registry.ts";
/** Shapes the console reads from the API (see GET /api/openapi.json). */
export type Role = UserRole;
export { userRoles as roles } from "../../../contracts/api/registry.ts";
export type CaseState = "candidate" | "confirmed" | "rejected" | "merged" | "dispatched" | "handled" | "verified" | "closed";
export const caseStates: CaseState[] = ["candidate", "confirmed", "dispatched", "handled", "verified", "closed", "rejected", "merged"];
export type Outcome = "education" | "order_to_correct" | "file_case" | "no_case_filed" | "not_a_case";
export const outcomes: Outcome[] = ["education", "order_to_correct", "file_case", "no_case_filed", "not_a_case"];

export interface User {
  id: string;
  username?: string;
  name: string;
  role: Role;
  mustChangePassword?: boolean;
}

export interface DetectedObject {
  trackId?: number;
  label: string;
  role: string;
  score: number;
  /** Normalised [x1,y1,x2,y2] or pixels of the detector frame. */
  box: [number, number, number, number];
}

export interface CaseView {
  id: string;
  number: string;
  candidateId: string;
  state: CaseState;
  version: number;
  priority: number;
  eventCode: string;
  rule: string;
  edgeId: string;
  cameraId: string;
  zoneId: string | null;
  ruleId: string | null;
  phase: string;
  startedAt: string;
  lastSeenAt: string;
  endedAt: string | null;
  bestScore: number;
  objects: DetectedObject[] | null;
  subject: string | null;
  shopId: string | null;
  penaltyEvidence: { usable: boolean | null; note: string | null };
  firstViolation: { treatment: string; violationsInLookback: number } | null;
  rejection: { reason: string; text: string | null } | null;
  mergedIntoId: string | null;
  dueAt: string | null;
  overdue: boolean;
  /** The assignee by name as well (null when the id names nobody any more). */
  dispatch: { assigneeId: string; assigneeName: string | null; task: string; at: string; sendBacks: number } | null;
  outcome: { outcome: Outcome; reason: string | null; note: string | null; class721: string | null; at: string } | null;
  confirmedAt: string | null;
  confirmedBy?: string | null;
  confirmedByName?: string | null;
  /** The party's statements (陈述申辩): unread = not yet marked read by the command center. */
  statements: { total: number; unread: number; lastAt: string | null };
  verifiedAt: string | null;
  closedAt: string | null;
  accessCodeIssuedAt: string | null;
}

export interface EvidenceLink {
  candidateId: string;
  kind: string;
  sha256: string;
  bytes: number;
  contentType: string;
  uploaded: boolean;
  href: string;
}

export interface PartyStatement {
  id: string;
  text: string;
  contact: string | null;
  submittedAt: string;
  read: boolean;
}

export interface CaseDetail extends CaseView {
  evidence: EvidenceLink[];
  mergedCases: { id: string; candidateId: string }[];
  partyStatements: PartyStatement[];
}

/** A case's full-process record, with the people it names (actors, assignees) by name. */
export interface CaseRecord {
  chain: string;
  intact?: boolean;
  entries: AuditEntry[];
  people: Record<string, { name: string; role: Role }>;
}

/** What a bulk action did to one case (POST /api/cases/bulk). */
export type BulkResult =
  | { id: string; number: string; ok: true; state: CaseState; accessCode?: string }
  | { id: string; number: string | null; ok: false; state: CaseState | null; status: number; code: string };

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string;
  action: string;
  before: unknown;
  after: unknown;
  evidenceSha256: string | null;
  hash: string;
}

export interface Suggestion {
  id: string;
  name: string;
  role: Role;
  openTasks: number;
  canTakeEnforcement: boolean;
  matches: { street: boolean; grid: boolean };
}

/** A camera as the API answers it (defined once, in the API contract). */
export type Camera = CameraView;

/** The reference registry as the API answers it (defined once, in the API contract). */
export type Shop = ShopView;
export type RejectReason = RejectReasonView;
export type EventCode = EventCodeView;
export type Vendor = VendorView;
export type Certificate = CertificateView;
/** A user as the registry (GET /api/users) lists them, with their certificates. */
export type RegistryUser = UserView;

export interface CaseChange {
  caseId: string;
  candidateId: string;
  action: string;
  state?: CaseState;
}

/** Violation kinds the edge reports (contracts/candidate.ts ruleKinds). */
export const ruleKinds = ["street_vending", "shop_overflow"] as const;

export type CaseTableSort = "newest" | "oldest" | "priority";
export const caseTableSorts: CaseTableSort[] = ["newest", "oldest", "priority"];

/** A row of the all-cases table: the case with the names the table shows. */
export interface CaseTableRow extends CaseView {
  cameraName: string | null;
  street: string | null;
  assigneeName: string | null;
}

/** A page of GET /api/all-cases: keyset cursors to the neighbouring pages (null at either end). */
export interface CaseTablePage {
  /** Exact up to 10,000; totalExact false beyond. */
  total: number;
  totalExact: boolean;
  limit: number;
  sort: CaseTableSort;
  next: string | null;
  prev: string | null;
  items: CaseTableRow[];
}

export interface FieldStaffMember {
  id: string;
  name: string;
  role: Role;
  active: boolean;
}
