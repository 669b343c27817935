/**
 * Shapes the console reads from the API: every one is defined once, in the API contract
 * (src/contracts/api, the source of GET /api/openapi.json); the console only names them.
 */
import type { CameraView } from "../../../contracts/api/camera.ts";
import type { SessionUser } from "../../../contracts/api/auth.ts";
import type { CertificateView, EventCodeView, RejectReasonView, ShopView, UserRole, UserView, VendorView } from "../../../contracts/api/registry.ts";

export type Role = UserRole;
export { userRoles as roles } from "../../../contracts/api/registry.ts";
export { caseStates, caseTableSorts, outcomes } from "../../../contracts/api/case.ts";
export type {
  AccessCode,
  AuditEntry,
  BulkResponse,
  BulkResult,
  CaseChange,
  CaseDetail,
  CaseRecord,
  CaseState,
  CaseTablePage,
  CaseTableRow,
  CaseTableSort,
  CaseView,
  DetectedObject,
  EvidenceLink,
  FieldStaffMember,
  Outcome,
  Page,
  PartyStatement,
  SuggestedAssignees,
  Suggestion,
  TaskKind,
  TransitionedCase,
} from "../../../contracts/api/case.ts";
export type { LiveTicket, ZoneReferenceView } from "../../../contracts/api/camera.ts";
export type { EdgeWorker } from "../../../contracts/api/edge.ts";
export type { OfficerPhoto } from "../../../contracts/api/field-task.ts";
export type { HealthReport } from "../../../contracts/api/operations.ts";
export type { PublicCase, PublishedCamera, StatementSubmitted } from "../../../contracts/api/public.ts";
export type { GroupStatistics, Statistics } from "../../../contracts/api/statistics.ts";
export type { RuleKind } from "../../../contracts/candidate.ts";
/** Violation kinds the edge reports. */
export { ruleKinds } from "../../../contracts/candidate.ts";

/** The logged-in user (POST /api/auth/login, GET /api/auth/me). */
export type User = SessionUser;
/** The answer of POST /api/auth/login and GET /api/auth/me. */
export type { Session as SessionAnswer } from "../../../contracts/api/auth.ts";

/** What the console sends (the request bodies the API validates). */
export type { LoginInput, PasswordInput } from "../../../contracts/api/auth.ts";
export type { CaseLookupInput, StatementInput } from "../../../contracts/api/public.ts";
export type { StatementsReadInput } from "../../../contracts/api/case.ts";
export type { CertificateInput as CertificateBody, UserInput as UserBody } from "../../../contracts/api/registry.ts";

/** A camera as the API answers it. */
export type Camera = CameraView;

/** The reference registry as the API answers it. */
export type Shop = ShopView;
export type RejectReason = RejectReasonView;
export type EventCode = EventCodeView;
export type Vendor = VendorView;
export type Certificate = CertificateView;
/** A user as the registry (GET /api/users) lists them, with their certificates. */
export type RegistryUser = UserView;
