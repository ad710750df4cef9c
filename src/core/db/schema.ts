/** Row types of every table, for Kysely. Dates are ISO text (`YYYY-MM-DD`), instants ISO text in UTC, flags 0/1. */
import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

export interface AdminUnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  short_name: string;
  type: string;
  level: string;
  parent_id: number | null;
  valid_from: string | null;
  valid_to: string | null;
  name_key: string;
}

export interface AdminUnitLinkTable {
  id: Generated<number>;
  from_id: number;
  to_id: number;
  kind: string;
}

export interface OrgUnitTable {
  id: Generated<number>;
  ward_id: number;
  code: string | null;
  name: string;
  valid_from: string | null;
  valid_to: string | null;
  successor_id: number | null;
  created_at: string;
  /** "own": the ward's subordinate unit; "partner": a body the ward only requests (the Front, the unions). */
  kind: Generated<string>;
}

export interface OrgUnitAliasTable {
  id: Generated<number>;
  org_unit_id: number;
  ward_id: number;
  alias: string;
  alias_key: string;
}

/** A nullable column a new row may leave out (it starts null). */
type NullableOnInsert<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface UserTable {
  id: Generated<number>;
  ward_id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  org_unit_id: number | null;
  active: number;
  /** The base32 TOTP secret while the second factor is on (core/auth/totp.ts); null: off. */
  totp_secret: string | null;
  /** The secret shown at enrolment, until a code from it confirms it (null when a new account is made). */
  totp_pending_secret: NullableOnInsert<string>;
  /** The latest 30-second step a code was accepted for: no code is accepted twice. */
  totp_last_step: NullableOnInsert<number>;
  /** When the second factor was last switched on. */
  totp_enabled_at: NullableOnInsert<string>;
  created_at: string;
  /**
   * The owner level above its ward the account may change: "nation" (a deployment operator), null (its ward only),
   * "unit:{ward_id}" for a province's account, whose `ward_id` is then the province's unit (core/auth/owners.ts).
   */
  owner_scope: string | null;
  /** The verified e-mail granted for single sign-on (lower case), or null: no sign-on for this account (043). */
  sso_email: Generated<string | null>;
}

/** A provider identity bound to an account at its first single sign-on: (issuer, subject) → user (043). */
export interface SsoIdentityTable {
  issuer: string;
  subject: string;
  user_id: number;
  email: string | null;
  bound_at: string;
  last_sign_in_at: string;
}

/** A single sign-on under way, keyed by the SHA-256 of its state; the callback takes it once (043). */
export interface SsoPendingTable {
  id: string;
  code_verifier: string;
  nonce: string;
  next_path: string;
  expires_at: string;
}

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  /**
   * "not_required" or "passed": a staff session. "pending" (the password was right, the code is asked) and "enrol"
   * (the role needs a second factor not yet set up) are short-lived sign-ins in progress, never a session.
   */
  second_factor: string;
  /** The ID token of a session opened through the province's single sign-on (its sign-out's hint); null otherwise. */
  sso_id_token: string | null;
}

/** A recovery code of an account's second factor, stored as its hash only (core/auth/totp.ts); used once. */
export interface TotpRecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  username_key: string;
  ip: string;
  at: string;
  ok: number;
}

/** Failed-login counter under one key (an account, an address, or the pair); see core/auth/login-throttle.ts. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_at: string;
  next_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  ward_id: number | null;
  user_id: number | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
}

export interface VocabularyTable {
  id: Generated<number>;
  vocabulary: string;
  code: string;
  label: string;
  position: number;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface PlanTable {
  id: Generated<number>;
  ward_id: number;
  kind: string;
  number: string;
  number_key: string;
  issued_on: string;
  title: string;
  place: string | null;
  issuer: string | null;
  period_from: string | null;
  period_to: string | null;
  basis_json: string;
  purposes_json: string;
  requirements_json: string;
  documents_text: string;
  mentions_json: string;
  recipients_json: string;
  signer_position: string | null;
  signer_name: string | null;
  /** "TM. ỦY BAN NHÂN DÂN": on behalf of the collective body, or null. */
  signer_authority: string | null;
  /** "KT. CHỦ TỊCH", "TL. CHỦ TỊCH", "TUQ. CHỦ TỊCH": for the head, or null. */
  signer_on_behalf_of: string | null;
  /** The total the plan's budget section states, in đồng (migration 023); null when it states none. */
  budget_stated: number | string | null;
  /** When staff last changed the budget: from then on a re-import keeps their lines. */
  budget_edited_at: string | null;
  source_hash: string;
  source_text: string;
  created_at: string;
  updated_at: string;
}

export interface PlanContentAreaTable {
  id: Generated<number>;
  plan_id: number;
  code: string;
  title: string;
  pillar: string | null;
  items_json: string;
  position: number;
}

export interface PlanChannelTable {
  id: Generated<number>;
  plan_id: number;
  code: string;
  title: string;
  kind: string;
  position: number;
}

export interface PlanReferenceTable {
  id: Generated<number>;
  plan_id: number;
  kind: string;
  number: string | null;
  title: string | null;
  issued_on: string | null;
  issuer: string | null;
  year: number | null;
  position: number;
}

export interface TaskTable {
  id: Generated<number>;
  plan_id: number;
  ward_id: number;
  group_code: string;
  group_heading: string;
  position: number;
  text: string;
  text_key: string;
  status: string;
  due_on: string | null;
  recurrence: string | null;
  removed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface TaskUnitTable {
  id: Generated<number>;
  task_id: number;
  org_unit_id: number;
  role: string;
}

export interface TaskUpdateTable {
  id: Generated<number>;
  task_id: number;
  user_id: number;
  at: string;
  status: string;
  note: string;
}

export interface ActivityTable {
  id: Generated<number>;
  ward_id: number;
  org_unit_id: number;
  plan_id: number | null;
  task_id: number | null;
  channel_kind: string;
  pillar: string | null;
  title: string;
  occurred_on: string;
  place: string | null;
  audience: number | null;
  participants: string | null;
  cost: number | null;
  source: string;
  source_ref: string | null;
  created_by: number | null;
  created_at: string;
}

export interface StoredFileTable {
  id: Generated<number>;
  ward_id: number;
  sha256: string;
  mime: string;
  size: number;
  original_name: string;
  created_by: number | null;
  created_at: string;
  /** The kind of record that owns the file ("feedback", "task_update", "activity"): its rule decides who reads it. */
  owner_kind: string | null;
  owner_id: number | null;
}

export interface EvidenceTable {
  id: Generated<number>;
  file_id: number;
  task_update_id: number | null;
  activity_id: number | null;
}

export interface DecisionTable {
  id: Generated<number>;
  number: string;
  number_key: string;
  decided_on: string | null;
  issuer: string | null;
  summary: string | null;
  scope: string;
  scope_unit_id: number | null;
  created_at: string;
}

export interface ProcedureTable {
  id: Generated<number>;
  code: string;
  scope: string;
  scope_unit_id: number | null;
  created_at: string;
}

export interface ProcedureVersionTable {
  id: Generated<number>;
  procedure_id: number;
  version_no: number;
  decision_id: number | null;
  change_type: string;
  effective_from: string;
  replaces_code: string | null;
  name: string;
  field: string;
  levels: string;
  data_json: string;
  content_hash: string;
  created_at: string;
}

export interface ProcedureOverrideTable {
  id: Generated<number>;
  procedure_code: string;
  unit_id: number;
  fee: string | null;
  receiving_address: string | null;
  opening_hours: string | null;
  note: string | null;
  updated_at: string;
}

export interface ProcedureReviewTable {
  id: Generated<number>;
  procedure_id: number;
  ward_id: number;
  user_id: number | null;
  reviewed_at: string;
}

/** The ward's contact details (migration 020): "" where the administrator gave none. */
export interface WardProfileTable {
  ward_id: number;
  address: string;
  desk_hours: string;
  hotline: string;
  email: string;
  map_url: string;
  updated_at: string;
  updated_by: number | null;
}

export interface BoardPrintTable {
  id: Generated<number>;
  ward_id: number;
  user_id: number | null;
  printed_at: string;
}

export interface SearchDocTable {
  id: Generated<number>;
  doc_key: string;
  kind: string;
  title: string;
  body: string;
  keywords: string;
  url: string;
  scope: string;
  deleted: number;
  seq: number;
}

export interface SearchSynonymTable {
  id: Generated<number>;
  /** "nation" for the defaults, "unit:{id}" for a ward's (or province's) own additions (migration 018). */
  owner: Generated<string>;
  term: string;
  expansions: string;
  /** Where the entry comes from (migration 037): the field it serves and its source; '' for older rows. */
  note: Generated<string>;
}

/** Public searches of a ward, counted per folded query and day; nothing about who searched (migration 036). */
export interface SearchLogTable {
  id: Generated<number>;
  unit_id: number;
  query_key: string;
  query: string;
  /** yyyy-mm-dd, Vietnam time. */
  day: string;
  searches: Generated<number>;
  results: number | null;
  opens: Generated<number>;
}

/** A document pinned by a ward as the first answer to a query (migration 036). */
export interface SearchBestBetTable {
  id: Generated<number>;
  unit_id: number;
  query_key: string;
  query: string;
  doc_key: string;
  created_by: number | null;
  created_at: string;
}

/** A staff-set weight of the search prior, per field or per procedure (migration 039). */
export interface SearchPriorTable {
  id: Generated<number>;
  /** "nation" or "unit:{admin unit id}" (core/auth/owners.ts). */
  owner: string;
  /** 'audience': a group of who may file a procedure (migration 047; core/search/prior.ts `audienceOf`). */
  target: "field" | "procedure" | "audience";
  /** The field's name, the procedure's code, or the audience's key. */
  key: string;
  /** In [−1, 1]. */
  weight: number;
  note: Generated<string>;
  origin: Generated<"default" | "staff">;
  updated_by: number | null;
  updated_at: string;
}

/** The prior's weight learned from opens, per search document (migration 039). */
export interface SearchPriorLearnedTable {
  id: Generated<number>;
  doc_key: string;
  opens: number;
  weight: number;
  computed_at: string;
}

/** Examples of queries with the search documents that answer them, learnt from by the search (migration 058). */
export interface SearchExampleTable {
  id: Generated<number>;
  owner: string;
  query: string;
  /** JSON array of search document keys. */
  doc_keys: string;
  source: string;
  created_at: string;
}

/** Results opened from the search page, per ward, search document and day (migration 039; quiet). */
export interface SearchOpenTable {
  id: Generated<number>;
  unit_id: number;
  doc_key: string;
  day: string;
  opens: Generated<number>;
}

export interface FeedbackItemTable {
  id: Generated<number>;
  ward_id: number;
  code: string;
  subject: string;
  content_type: string;
  procedure_code: string | null;
  content: string;
  status: string;
  channel: string;
  received_at: string;
  idempotency_key: string | null;
  classification: string | null;
  reason: string | null;
  forwarded_to: string | null;
  assigned_unit_id: number | null;
  due_on: string | null;
  answer_draft: string | null;
  answer_final: string | null;
  approved_by: number | null;
  published_at: string | null;
  /** The staff member who entered an item received off the web (desk, phone, letter, Front); null for the web. */
  entered_by: number | null;
  /** What the public reads of `content`: personal data masked, reviewed at the publish step (migration 014). */
  public_content: string | null;
  /** 0, then +1 each time a leader sends the draft back; steps are unique per (item, round, status). */
  round: Generated<number>;
  /** The leader's reason for the latest send-back. */
  return_reason: string | null;
  /** What the public reads of `answer_final`: checked by the same redaction at the publish step (migration 015). */
  public_answer: string | null;
  /** The published answer's own address on the public site, never the tracking code (migration 015). */
  public_id: string | null;
}

/** A file a sender attached to a feedback item (the bytes and type in stored_files). */
export interface FeedbackFileTable {
  id: Generated<number>;
  feedback_id: number;
  file_id: number;
}

/** One step of a feedback item's workflow; (item_id, round, to_status) is unique, so each step happens once a round. */
export interface FeedbackStepTable {
  id: Generated<number>;
  item_id: number;
  from_status: string;
  to_status: string;
  at: string;
  user_id: number | null;
  actor: string;
  note: string | null;
  round: Generated<number>;
}

/** Public holidays and make-up working days: editable data for working-day deadlines. */
export interface HolidayTable {
  id: Generated<number>;
  date: string;
  kind: string;
  name: string;
}

/** How many working days each feedback stage may take. */
export interface FeedbackStageDaysTable {
  stage: string;
  working_days: number;
  note: string;
}

/** A ward's (or province's) own working days for a stage, over the national row of feedback_stage_days. */
export interface FeedbackStageDaysLocalTable {
  id: Generated<number>;
  /** "unit:{admin unit id}" (core/auth/owners.ts). */
  owner: string;
  stage: string;
  working_days: number;
}

/** A feedback sender's personal data: apart from the item, shown to staff only. */
export interface FeedbackSenderTable {
  feedback_id: number;
  name: string;
  address: string;
  phone: string;
  email: string | null;
  consent_at: string;
  consent_text: string;
  /** Set when the personal fields were erased (migration 012); they are then empty or NULL. */
  erased_at: string | null;
  erased_reason: string | null;
}

/** A satisfaction survey (SIPAS) of a ward, for one service field or (field null) all of them. */
export interface SurveyTable {
  id: Generated<number>;
  ward_id: number;
  title: string;
  field: string | null;
  open: number;
  created_at: string;
  /** The unit that runs the survey (its rounds are its activities); null: the ward's office unit. */
  org_unit_id: number | null;
}

/** One criterion of a survey, under its factor: seeded from the defaults, then data. */
export interface SurveyQuestionTable {
  id: Generated<number>;
  survey_id: number;
  factor: string;
  factor_title: string;
  criterion: string;
  text: string;
  position: number;
}

/** One anonymous response; `form_token` is unique, so a form posted twice is stored once. */
export interface SurveyResponseTable {
  id: Generated<number>;
  survey_id: number;
  submitted_at: string;
  month: string;
  field: string | null;
  form_token: string;
  /** The procedure the answers are about, when the respondent named one. */
  procedure_code: string | null;
}

/** A closed round of a survey (đợt khảo sát): the responses after `from_at` up to `to_at`; numbered once. */
export interface SurveyRoundTable {
  id: Generated<number>;
  survey_id: number;
  round_no: number;
  from_at: string | null;
  to_at: string;
  responses: number;
  closed_by: number | null;
}

/** One raw score, 1–5 (CHECK). */
export interface SurveyAnswerTable {
  id: Generated<number>;
  response_id: number;
  question_id: number;
  score: number;
}

/** One request of a client to a public form (feedback, lookups, questions, surveys), for the rate limit. */
export interface PublicFormRateHitTable {
  id: Generated<number>;
  bucket: string;
  client_key: string;
  at: string;
}

/** A citizen's question (hỏi đáp); published ones are public FAQ entries. */
export interface QuestionTable {
  id: Generated<number>;
  ward_id: number;
  code: string;
  procedure_code: string | null;
  question: string;
  status: string;
  received_at: string;
  idempotency_key: string | null;
  assigned_unit_id: number | null;
  answer_draft: string | null;
  answer_final: string | null;
  approved_by: number | null;
  published_at: string | null;
  notified_channel: string | null;
  /** What the public reads of `question`: personal data masked, reviewed at the publish step (migration 014). */
  public_question: string | null;
  /** 0, then +1 each time a leader sends the draft back. */
  round: Generated<number>;
  /** The leader's reason for the latest send-back. */
  return_reason: string | null;
  /** What the public reads of `answer_final`: checked by the same redaction at the publish step (migration 015). */
  public_answer: string | null;
  /** The published entry's own address on the public site (migration 015). */
  public_id: string | null;
}

/** A question's asker: personal data, apart from the question, shown to staff only. */
export interface QuestionAskerTable {
  question_id: number;
  name: string;
  email: string | null;
  phone: string | null;
  consent_at: string;
  consent_text: string;
  /** Set when the personal fields were erased (migration 012); they are then empty or NULL. */
  erased_at: string | null;
  erased_reason: string | null;
}

/** One step of a question's workflow; (question_id, round, to_status) is unique. */
export interface QuestionStepTable {
  id: Generated<number>;
  question_id: number;
  from_status: string;
  to_status: string;
  at: string;
  user_id: number | null;
  actor: string;
  note: string | null;
  round: Generated<number>;
}

export interface Database {
  questions: QuestionTable;
  question_askers: QuestionAskerTable;
  question_steps: QuestionStepTable;
  feedback_items: FeedbackItemTable;
  feedback_senders: FeedbackSenderTable;
  public_form_rate_hits: PublicFormRateHitTable;
  feedback_steps: FeedbackStepTable;
  feedback_files: FeedbackFileTable;
  surveys: SurveyTable;
  survey_questions: SurveyQuestionTable;
  survey_responses: SurveyResponseTable;
  survey_answers: SurveyAnswerTable;
  survey_rounds: SurveyRoundTable;
  holidays: HolidayTable;
  feedback_stage_days: FeedbackStageDaysTable;
  feedback_stage_days_local: FeedbackStageDaysLocalTable;
  decisions: DecisionTable;
  procedures: ProcedureTable;
  procedure_versions: ProcedureVersionTable;
  procedure_overrides: ProcedureOverrideTable;
  procedure_reviews: ProcedureReviewTable;
  board_prints: BoardPrintTable;
  ward_profiles: WardProfileTable;
  search_docs: SearchDocTable;
  search_synonyms: SearchSynonymTable;
  search_log: SearchLogTable;
  search_best_bets: SearchBestBetTable;
  search_priors: SearchPriorTable;
  search_prior_learned: SearchPriorLearnedTable;
  search_examples: SearchExampleTable;
  search_opens: SearchOpenTable;
  admin_units: AdminUnitTable;
  admin_unit_links: AdminUnitLinkTable;
  org_units: OrgUnitTable;
  org_unit_aliases: OrgUnitAliasTable;
  users: UserTable;
  sessions: SessionTable;
  sso_identities: SsoIdentityTable;
  sso_pending: SsoPendingTable;
  totp_recovery_codes: TotpRecoveryCodeTable;
  login_attempts: LoginAttemptTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  vocabularies: VocabularyTable;
  settings: SettingTable;
  plans: PlanTable;
  plan_content_areas: PlanContentAreaTable;
  plan_channels: PlanChannelTable;
  plan_references: PlanReferenceTable;
  tasks: TaskTable;
  task_units: TaskUnitTable;
  task_updates: TaskUpdateTable;
  activities: ActivityTable;
  stored_files: StoredFileTable;
  evidence: EvidenceTable;
  reports: ReportTable;
  document_register: DocumentRegisterTable;
  plan_budget_lines: PlanBudgetLineTable;
  training_records: TrainingRecordTable;
  commendations: CommendationTable;
  plan_drafts: PlanDraftTable;
  report_requests: ReportRequestTable;
  report_request_wards: ReportRequestWardTable;
  events: EventTable;
  event_steps: EventStepTable;
  event_minutes: EventMinutesTable;
  event_photos: EventPhotoTable;
  radio_abbreviations: RadioAbbreviationTable;
  radio_clusters: RadioClusterTable;
  radio_bulletins: RadioBulletinTable;
  radio_items: RadioItemTable;
  radio_bulletin_steps: RadioBulletinStepTable;
  radio_broadcasts: RadioBroadcastTable;
  jobs: JobTable;
  news_articles: NewsArticleTable;
  news_versions: NewsVersionTable;
  news_steps: NewsStepTable;
  news_photos: NewsPhotoTable;
  news_posters: NewsPosterTable;
  legal_documents: LegalDocumentTable;
  legal_document_events: LegalDocumentEventTable;
  legal_relations: LegalRelationTable;
  legal_citations: LegalCitationTable;
  legal_mentions: LegalMentionTable;
  file_blobs: FileBlobTable;
  staged_uploads: StagedUploadTable;
  file_chunks: FileChunkTable;
  page_copies: PageCopyTable;
  copy_inputs: CopyInputTable;
}

/** A pre-rendered public page of a ward for one day in Vietnam (migration 051; procedures/page-copies.ts). */
export interface PageCopyTable {
  ward_id: number;
  /** Which page: "board" (the notice board), "catalogue". */
  page: string;
  day: string;
  /** What it was rendered from: the code and settings, the ward's address and its units' generations. */
  stamp: string;
  etag: string;
  gzip: Uint8Array;
  brotli: Uint8Array;
  html_bytes: number;
  rendered_at: string;
}

/** A unit's generation of the data copied pages are rendered from (0: shared), advanced by triggers (migration 051). */
export interface CopyInputTable {
  unit_id: number;
  gen: number;
}

/** A blob of the database file store (FILE_STORE=database, migration 044): its size and how it was cut. */
/** An upload waiting for its confirmation (migration 049; src/core/staged-uploads.ts). */
export interface StagedUploadTable {
  /** SHA-256 (hex) of the token the confirmation form carries. */
  token_sha256: string;
  /** What the upload is for (e.g. "procedures-import"): a token of one purpose is never taken for another. */
  purpose: string;
  user_id: number;
  file_name: string;
  /** JSON: what the confirmation needs besides the bytes. */
  meta: string;
  bytes: Uint8Array;
  created_at: string;
}

export interface FileBlobTable {
  sha256: string;
  size: number;
  chunk_size: number;
  created_at: string;
}

/** Chunk `n` (from 0) of a blob: bytes n·chunk_size onwards. */
export interface FileChunkTable {
  sha256: string;
  n: number;
  bytes: Uint8Array;
}

/** A background job (migration 029, src/core/jobs/). */
export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload_json: string;
  key: string | null;
  ward_id: number | null;
  /** queued → running → done | failed. */
  status: string;
  run_at: string;
  attempts: Generated<number>;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
  /** PostgreSQL: the pg-boss job that delivers this row (migration 045); null on SQLite. */
  queue_id: string | null;
}

export type AdminUnit = Selectable<AdminUnitTable>;
export type OrgUnit = Selectable<OrgUnitTable>;
export type User = Selectable<UserTable>;
export type Plan = Selectable<PlanTable>;
export type Task = Selectable<TaskTable>;
export type NewAuditLog = Insertable<AuditLogTable>;

/** A report to the higher level (migration 021): figures as computed, the document as edited, its workflow status. */
export interface ReportTable {
  id: Generated<number>;
  ward_id: number;
  kind: string;
  quarter: number | null;
  period_from: string;
  period_to: string;
  title: string;
  /** draft → submitted → approved → issued. */
  status: string;
  figures_json: string;
  computed_at: string;
  document_json: string;
  number: number | null;
  symbol: string;
  issued_on: string | null;
  signer_name: string | null;
  approved_by: number | null;
  published: Generated<number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  /** The signed copy staff uploaded after issue (migration 022): what is published. */
  signed_file_id: number | null;
  /** The plan the report covers (migration 022); null: all the ward's work. */
  plan_id: number | null;
  /** The request of a province this report answers (migration 026). */
  request_id: number | null;
  /** A province's report issued by one of its departments (an org unit of the province); null: the committee. */
  issuer_org_unit_id: number | null;
}

/** A province's (or its department's) request to its wards for a report of a period by a deadline. */
export interface ReportRequestTable {
  id: Generated<number>;
  province_id: number;
  org_unit_id: number | null;
  title: string;
  note: Generated<string>;
  kind: string;
  year: number;
  quarter: number | null;
  period_from: string;
  period_to: string;
  deadline: string;
  all_wards: Generated<number>;
  created_by: number | null;
  created_at: string;
}

export interface ReportRequestWardTable {
  id: Generated<number>;
  request_id: number;
  ward_id: number;
}

/** The issuing body's outgoing-document register: one number per issuer and year, never reused. */
export interface DocumentRegisterTable {
  id: Generated<number>;
  issuer_unit_id: number;
  year: number;
  number: number;
  symbol: string;
  issued_on: string;
  report_id: number | null;
  /** The plan issued with this number (migration 025). */
  plan_id: number | null;
  created_at: string;
  /** A department's own register beside its province's (migration 026); null: the unit's own body. */
  issuer_org_unit_id: Generated<number | null>;
}

/** A plan's budget line (migration 023): amount in đồng (bigint: PostgreSQL returns it as text), source, purpose. */
export interface PlanBudgetLineTable {
  id: Generated<number>;
  plan_id: number;
  position: number;
  amount: number | string | null;
  source: string | null;
  purpose: string;
  /** The channel the money is for; null: the plan as a whole. */
  channel_kind: string | null;
  /** The unit that spends it; null: not tied to one unit. */
  org_unit_id: number | null;
  created_at: string;
  updated_at: string;
}

/** One staff member sent to an administrative-reform course (migration 023); staff-only. */
export interface TrainingRecordTable {
  id: Generated<number>;
  ward_id: number;
  person_name: string;
  position: string;
  org_unit_id: number;
  course: string;
  organiser: string;
  starts_on: string;
  ends_on: string;
  /** attended | partial | absent */
  attendance: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** A commendation of a person or a unit (migration 023); staff-only. */
export interface CommendationTable {
  id: Generated<number>;
  ward_id: number;
  /** person | unit */
  recipient_kind: string;
  person_name: string | null;
  position: string | null;
  org_unit_id: number | null;
  form: string;
  decision: string;
  decided_on: string;
  reason: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** Next year's plan while drafted, submitted and approved (migration 025); `plan_id` once issued. */
export interface PlanDraftTable {
  id: Generated<number>;
  ward_id: number;
  source_plan_id: number | null;
  year: number;
  title: string;
  /** draft → submitted → approved → issued. */
  status: string;
  /** The plan's content as staff edit it (PlanContent, src/features/plans/plan-content.ts). */
  content_json: string;
  number: number | null;
  symbol: string;
  issued_on: string | null;
  signer_name: string | null;
  approved_by: number | null;
  plan_id: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** A conference, community meeting or meeting with a reform item (migration 028). */
export interface EventTable {
  id: Generated<number>;
  ward_id: number;
  /** The organising unit. */
  org_unit_id: number;
  kind: string;
  title: string;
  description: Generated<string>;
  place: string;
  /** Vietnam local date (ISO) and times "HH:MM". */
  starts_on: string;
  starts_at: string;
  ends_at: string;
  /** Partners invited (the Front, unions…): names as typed, JSON array. */
  partners_json: Generated<string>;
  /** The plan content areas it speaks to (plan_content_areas ids), JSON array. */
  area_ids_json: Generated<string>;
  expected_audience: number | null;
  status: string;
  round: Generated<number>;
  return_reason: string | null;
  /** When a leader approved it; public from then on. */
  announced_at: string | null;
  /** After it is held: people present by group, JSON {group: count}; their sum; what it cost (đồng). */
  attendance_json: string | null;
  attended: number | null;
  cost: number | null;
  withdrawn_reason: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface EventStepTable {
  id: Generated<number>;
  event_id: number;
  from_status: string;
  to_status: string;
  at: string;
  user_id: number | null;
  actor: string;
  note: string | null;
  round: Generated<number>;
}

/** A photo of a held event (migration 038): the re-encoded JPEG in the file store, with its alt text. */
export interface EventPhotoTable {
  id: Generated<number>;
  event_id: number;
  file_id: number;
  alt: string;
  width: number;
  height: number;
  created_by: number | null;
  created_at: string;
}

/** The minutes (biên bản) of a held event (migration 033): staff-only, one row per event, as last saved. */
export interface EventMinutesTable {
  event_id: number;
  ward_id: number;
  /** "HH:MM", Vietnam time, on the event's day. */
  started_at: string;
  ended_at: string;
  chair_name: string;
  chair_title: Generated<string>;
  secretary_name: string;
  secretary_title: Generated<string>;
  /** Thành phần tham dự as written; the counts by group are the event's attendance. */
  attendees: Generated<string>;
  agenda: string;
  opinions: Generated<string>;
  conclusions: string;
  created_by: number | null;
  created_at: string;
  updated_by: number | null;
  updated_at: string;
}
/** A ward's library entry for a legal document (migration 030); its status is computed when read (documents.rules.ts). */
export interface LegalDocumentTable {
  id: Generated<number>;
  ward_id: number;
  kind: string;
  number: string | null;
  /** Folded number without spaces: the matching key. */
  number_key: string | null;
  issuer: string | null;
  issuer_key: Generated<string>;
  year: number | null;
  title: string | null;
  title_key: Generated<string>;
  issued_on: string | null;
  effective_from: string | null;
  expires_on: string | null;
  official_url: string | null;
  file_id: number | null;
  note: Generated<string>;
  /** 1 while the entry holds only what a plan cited. */
  incomplete: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** An explicit change of a document's legal effect on a date (suspension, partial expiry …). */
export interface LegalDocumentEventTable {
  id: Generated<number>;
  ward_id: number;
  document_id: number;
  kind: string;
  on_date: string;
  note: Generated<string>;
  created_at: string;
}

/** A paired relation stored once: `from_id` acts on `to_id` (amends, replaces, guides …). */
export interface LegalRelationTable {
  id: Generated<number>;
  ward_id: number;
  from_id: number;
  to_id: number;
  kind: string;
  created_at: string;
}

/** A plan's cited document (by the plan_references position) linked to its library entry. */
export interface LegalCitationTable {
  id: Generated<number>;
  ward_id: number;
  plan_id: number;
  position: number;
  document_id: number;
  cited_json: string;
  uncertain: Generated<number>;
  created_at: string;
}

/** A document made known through a channel (an event held, an article published, a bulletin aired …). */
export interface LegalMentionTable {
  id: Generated<number>;
  ward_id: number;
  document_id: number;
  source: string;
  source_ref: string;
  on_date: string;
  channel: string;
  created_at: string;
}

/** An abbreviation read aloud in full (migration 032): ward_id null for the national defaults, else a ward's own. */
export interface RadioAbbreviationTable {
  id: Generated<number>;
  ward_id: number | null;
  abbr: string;
  reading: string;
  created_at: string;
}

/** A loudspeaker cluster (cụm loa) of a ward, with the people it reaches as the ward estimates them. */
export interface RadioClusterTable {
  id: Generated<number>;
  ward_id: number;
  name: string;
  place: Generated<string>;
  audience: number;
  active: Generated<number>;
  created_at: string;
}

/** A radio bulletin (bản tin) for a broadcast date and slot; its audio's blob is in the file store by SHA-256. */
export interface RadioBulletinTable {
  id: Generated<number>;
  ward_id: number;
  org_unit_id: number;
  title: string;
  broadcast_on: string;
  slot: string;
  status: string;
  round: Generated<number>;
  return_reason: string | null;
  approved_at: string | null;
  withdrawn_reason: string | null;
  audio_state: Generated<string>;
  audio_error: string | null;
  audio_sha256: string | null;
  audio_mime: string | null;
  audio_size: number | null;
  audio_duration_ms: number | null;
  audio_origin: string | null;
  audio_voice: string | null;
  audio_command: string | null;
  audio_text_sha256: string | null;
  audio_made_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface RadioItemTable {
  id: Generated<number>;
  bulletin_id: number;
  position: number;
  title: string;
  script: string;
}

export interface RadioBulletinStepTable {
  id: Generated<number>;
  bulletin_id: number;
  from_status: string;
  to_status: string;
  at: string;
  user_id: number | null;
  actor: string;
  note: string | null;
  round: Generated<number>;
}

/** One airing of a bulletin: the ledger activity (source "radio") points at it. */
export interface RadioBroadcastTable {
  id: Generated<number>;
  ward_id: number;
  bulletin_id: number;
  aired_on: string;
  aired_at: string;
  duration_s: number;
  cluster_ids_json: string;
  cluster_names: string;
  listens: number;
  withdrawn_at: string | null;
  created_by: number | null;
  created_at: string;
}

/** An article or good-model story (migration 031); its text is its latest version's. */
export interface NewsArticleTable {
  id: Generated<number>;
  ward_id: number;
  org_unit_id: number;
  /** news | model */
  kind: string;
  title: string;
  summary: string;
  /** Markdown, the safe subset (core/text/markdown.ts). */
  body: string;
  area_ids_json: string;
  version_no: number;
  /** draft → submitted → reviewed → scheduled | published; → withdrawn */
  status: string;
  round: Generated<number>;
  return_reason: string | null;
  approved_by: number | null;
  /** When a scheduled article is to be published (ISO instant). */
  publish_at: string | null;
  published_at: string | null;
  /** Public page views counted so far: the audience of its ledger activity. */
  views: Generated<number>;
  withdrawn_reason: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface NewsVersionTable {
  id: Generated<number>;
  article_id: number;
  version_no: number;
  title: string;
  summary: string;
  body: string;
  area_ids_json: string;
  user_id: number | null;
  actor: string;
  created_at: string;
}

export interface NewsStepTable {
  id: Generated<number>;
  article_id: number;
  from_status: string;
  to_status: string;
  at: string;
  user_id: number | null;
  actor: string;
  note: string | null;
  round: number;
}

export interface NewsPhotoTable {
  id: Generated<number>;
  article_id: number;
  file_id: number;
  alt: string;
  width: number;
  height: number;
  created_at: string;
}

/** A banner, panel or poster put up (băng rôn, pa nô, áp phích): one ledger activity with its photo. */
export interface NewsPosterTable {
  id: Generated<number>;
  ward_id: number;
  org_unit_id: number;
  kind: string;
  title: string;
  place: string;
  put_up_on: string;
  quantity: number;
  area_ids_json: string;
  cost: number | null;
  file_id: number | null;
  alt: string;
  withdrawn_reason: string | null;
  created_by: number | null;
  created_at: string;
}
