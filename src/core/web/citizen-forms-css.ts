/** The stylesheet of the citizens' forms and their receipts (feedback, lookups, questions, surveys). */

import { CSS_TYPE, staticAsset } from "./assets.ts";

export const CITIZEN_FORMS_CSS = `.gy-hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.gy-panel{border:4px solid #00703c;padding:1rem 1.25rem;margin:1.5rem 0}
.gy-code{font-size:2.25rem;font-weight:700;letter-spacing:.06em;font-family:ui-monospace,monospace;margin:.25rem 0}
.gy-form textarea{width:100%;max-width:40rem}
.gy-list td{vertical-align:top}
.gy-overdue td{background:#fbe9e6}
.gy-content{white-space:pre-wrap;max-width:32rem}`;

/** Served by the app (app.tsx) at its content-hashed URL, cached for a year. */
export const CITIZEN_FORMS_CSS_ASSET = staticAsset("/static/citizen-forms.css", CSS_TYPE, CITIZEN_FORMS_CSS);
export const CITIZEN_FORMS_CSS_PATH = CITIZEN_FORMS_CSS_ASSET.href;
