/**
 * The consent texts of the public forms, per ward: what the ward's administrator set (settings table), else the
 * built-in text. Kept apart from the privacy service so the feedback and questions features import only this.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { CONSENT_TEXT as FEEDBACK_CONSENT } from "../feedback/feedback.schemas.ts";
import { CONSENT_TEXT as QUESTION_CONSENT } from "../questions/questions.schemas.ts";
import { setting } from "./privacy.sql.ts";

export type ConsentKind = "feedback" | "question";

export const DEFAULT_CONSENT: Record<ConsentKind, string> = { feedback: FEEDBACK_CONSENT, question: QUESTION_CONSENT };

/** The settings key of a ward's text. Each ward keeps its own: it is the controller of its citizens' data. */
export const consentKey = (kind: ConsentKind, wardId: number) => `consent_text.${kind}.${wardId}`;

/**
 * The consent text in force for a form of a ward. Read it inside the submission's transaction, so the text recorded
 * is the one in force when the form was sent.
 */
export async function consentText(db: Kysely<Database>, kind: ConsentKind, wardId: number): Promise<string> {
  return (await setting(db, consentKey(kind, wardId))) ?? DEFAULT_CONSENT[kind];
}
