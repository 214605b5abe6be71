/**
 * The Android dataset: one SQLite file an app ships as an asset or copies into its databases
 * directory. Written with sql.js (SQLite compiled to WASM, inside the npm package) so installing
 * the CLI never downloads or compiles a native binary.
 */
import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';

export interface AndroidRow {
  /** E.164 digits without `+`. */
  e164: number;
  nsn: string;
  label: string;
  name: string;
  company: string;
  contactId: number;
  updatedAt: number;
}

export const SUFFIX_DIGITS = 10;
export const SQLITE_SCHEMA_VERSION = 1;
/** Below SQLite's default limit of 32,766 host parameters per statement (8 per row). */
const ROWS_PER_INSERT = 500;

/** The national significant number's last 10 digits, or all of it when shorter. */
export function suffixKey(nsn: string): string {
  return nsn.length > SUFFIX_DIGITS ? nsn.slice(-SUFFIX_DIGITS) : nsn;
}

let sql: Promise<SqlJsStatic> | undefined;
function engine(): Promise<SqlJsStatic> {
  sql ??= import('sql.js').then(({ default: initSqlJs }) => initSqlJs({ locateFile: () => createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm') }));
  return sql;
}

const SCHEMA = `
CREATE TABLE android_metadata (locale TEXT);
INSERT INTO android_metadata VALUES ('en_US');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
  e164 INTEGER PRIMARY KEY,
  nsn TEXT NOT NULL,
  suffix TEXT NOT NULL,
  label TEXT NOT NULL,
  name TEXT NOT NULL,
  company TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX entries_suffix ON entries(suffix);
`;

export async function encodeSqlite(rows: AndroidRow[], meta: Record<string, string>): Promise<Buffer> {
  const SQL = await engine();
  const db = new SQL.Database();
  try {
    db.run('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;');
    db.run(SCHEMA);
    db.run(`PRAGMA user_version = ${SQLITE_SCHEMA_VERSION}`);
    db.run('BEGIN');
    const m = db.prepare('INSERT INTO meta VALUES (?, ?)');
    for (const [k, v] of Object.entries(meta)) m.run([k, v]);
    m.free();
    // Many rows per statement: each sql.js call crosses into WASM, so fewer calls is faster.
    const insert = (n: number) => db.prepare(`INSERT INTO entries VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`);
    const full = insert(ROWS_PER_INSERT);
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const batch = rows.slice(i, i + ROWS_PER_INSERT);
      const values = batch.flatMap((r) => [r.e164, r.nsn, suffixKey(r.nsn), r.label, r.name, r.company, r.contactId, r.updatedAt]);
      if (batch.length === ROWS_PER_INSERT) full.run(values);
      else {
        const last = insert(batch.length);
        last.run(values);
        last.free();
      }
    }
    full.free();
    db.run('COMMIT');
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}

export interface SqliteContents {
  rows: AndroidRow[];
  suffixes: string[];
  meta: Record<string, string>;
  hasSuffixIndex: boolean;
  integrity: string;
}

/** Reads every row back in rowid (= e164) order, for `verify`. Throws on a file that is not SQLite. */
export async function decodeSqlite(bytes: Buffer): Promise<SqliteContents> {
  const SQL = await engine();
  const db = new SQL.Database(bytes);
  try {
    const integrity = String(db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0] ?? '');
    const rows: AndroidRow[] = [];
    const suffixes: string[] = [];
    const st = db.prepare('SELECT e164, nsn, suffix, label, name, company, contact_id, updated_at FROM entries ORDER BY e164');
    while (st.step()) {
      const v = st.get();
      rows.push({
        e164: Number(v[0]),
        nsn: String(v[1]),
        label: String(v[3]),
        name: String(v[4]),
        company: String(v[5]),
        contactId: Number(v[6]),
        updatedAt: Number(v[7]),
      });
      suffixes.push(String(v[2]));
    }
    st.free();
    const meta: Record<string, string> = {};
    for (const r of db.exec('SELECT key, value FROM meta')[0]?.values ?? []) meta[String(r[0])] = String(r[1]);
    const idx = db.exec("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'entries_suffix'")[0]?.values[0]?.[0];
    return { rows, suffixes, meta, hasSuffixIndex: typeof idx === 'string' && /\(suffix\)/.test(idx), integrity };
  } finally {
    db.close();
  }
}
