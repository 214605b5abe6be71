import type { Contact } from '../../contacts/contact.js';
import type { ColumnNeeds } from './display.js';

export type ExportFormat = 'vcard' | 'vcard4' | 'google-csv' | 'outlook-csv';
/** Here rather than in index.ts: `--help` lists them without loading the writers. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['vcard', 'vcard4', 'google-csv', 'outlook-csv'];

export interface WriterOptions {
  /** Category / label that marks imported contacts so they can be found again; default 'amoCRM'. */
  category?: string;
  /** e.g. 'amocrm-30000001' → UID amocrm-30000001-40000001. */
  uidPrefix: string;
  /** Write a UTF-8 BOM first (Excel needs it to show Cyrillic). */
  bom?: boolean;
  /** Extra labels/categories put on every contact. */
  labels?: string[];
  /** `https://<subdomain>.amocrm.ru`: each contact gets a link to its card there. */
  linkBase?: string;
  /**
   * Phone / e-mail / messenger columns the CSV header holds: the most any contact of the file
   * needs (`columnNeeds`), so every value keeps a labelled column of its own. Default 1 each.
   */
  columns?: ColumnNeeds;
  /** CSV: guard every cell that starts like a formula, phones and handles too (--spreadsheet-safe). */
  spreadsheetSafe?: boolean;
}

export interface ContactWriter {
  readonly extension: string;
  readonly mediaType: string;
  header(): string;
  write(c: Contact): string;
  footer(): string;
  /** droppedPhones: phones that had no column of their own (Outlook CSV) and went to Notes instead. */
  readonly warnings: { droppedPhones: number };
}

export const DEFAULT_CATEGORY = 'amoCRM';
