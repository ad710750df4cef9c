/**
 * What the training and commendations lists give a report (issue 9 §3): counted from the records of the period,
 * never typed. Pure: rows in, counts out. A course is its name and organiser (several staff on one course count it
 * once); a trainee is a person in a unit (the same person on two courses counts once).
 */
import { foldWords, nfc, squash } from "../../core/text/vi.ts";

// Names keep their tone marks (Ba and Bá are two people); case and spacing do not matter.
const nameKey = (name: string) => squash(nfc(name)).toLocaleLowerCase("vi");

export interface TrainingFigures {
  /** Distinct courses (name + organiser) ending in the period. */
  courses: number;
  /** Distinct people sent to them. */
  trainees: number;
  /** Records of people who attended (fully or in part). */
  attended: number;
  commendations: { total: number; persons: number; units: number };
}

/** A training record counted as attended (fully or in part): the figure and the list behind it use this. */
export const attendedRecord = (t: { attendance: string }) => t.attendance !== "absent";
/** A commendation of a person (else of a collective, a unit). */
export const personCommendation = (c: { recipient_kind: string }) => c.recipient_kind === "person";

export function trainingFigures(
  training: readonly {
    person_name: string;
    org_unit_id: number;
    course: string;
    organiser: string;
    attendance: string;
  }[],
  commendations: readonly { recipient_kind: string }[],
): TrainingFigures {
  const courses = new Set(training.map((t) => `${foldWords(t.course)}|${foldWords(t.organiser)}`));
  const people = new Set(training.map((t) => `${nameKey(t.person_name)}|${t.org_unit_id}`));
  const persons = commendations.filter(personCommendation).length;
  return {
    courses: courses.size,
    trainees: people.size,
    attended: training.filter(attendedRecord).length,
    commendations: { total: commendations.length, persons, units: commendations.length - persons },
  };
}
