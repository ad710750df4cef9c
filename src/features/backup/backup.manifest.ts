/**
 * What a backup archive holds and how its entries are named. The manifest comes last in the archive (its checksums
 * are computed while the entries are written) and lists every entry with its size and SHA-256.
 */
import { z } from "zod";

export const MANIFEST_NAME = "cchc-backup.json";
/** The database entry: a SQLite snapshot, or a pg_dump archive (custom format) of the portal's schema. */
export const DATABASE_ENTRY = { sqlite: "cchc.sqlite", postgres: "cchc.pgdump" } as const;
/** A stored file, named as in the data folder (`files/ab/abcdef…`), so `tar xzf` in a data folder puts it in place. */
export const BLOB_ENTRY = /^files\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/**
 * Every blob the database names: the stored files, and the radio bulletins' audio (spoken or a staff recording),
 * which a bulletin names by its SHA-256 without a stored_files row. `withRadio`: the database has that table (a
 * database not yet migrated to 032 has none).
 */
export const namedBlobsSql = (withRadio: boolean) =>
  withRadio
    ? "select sha256 from stored_files union select audio_sha256 from radio_bulletins where audio_sha256 is not null order by 1"
    : "select distinct sha256 from stored_files order by sha256";

export const blobEntryName = (sha256: string) => `files/${sha256.slice(0, 2)}/${sha256}`;

/** The blob's SHA-256 when the name is a well-formed blob entry (the folder matching the hash), else null. */
export function blobOfEntry(name: string): string | null {
  const m = BLOB_ENTRY.exec(name);
  return m?.[2]?.startsWith(m[1] as string) ? (m[2] as string) : null;
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  format: z.literal("cchc-backup"),
  version: z.literal(1),
  createdAt: z.string(),
  dialect: z.enum(["sqlite", "postgres"]),
  /** PostgreSQL: the schema that was dumped (and that pg_restore recreates). */
  postgresSchema: z.string().nullable(),
  portalId: z.string().nullable(),
  entries: z.array(z.object({ name: z.string(), size: z.number().int().min(0), sha256 })),
  /** Stored files the database names but the store did not have intact when the backup was made. */
  missingFiles: z.array(z.object({ sha256, reason: z.enum(["missing", "damaged"]) })),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
