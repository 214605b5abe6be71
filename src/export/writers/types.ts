import type { Contact } from '../../contacts/contact.js';

export type ExportFormat = 'vcard' | 'vcard4' | 'google-csv' | 'outlook-csv';

export interface WriterOptions {
  /** Category / label that marks imported contacts so they can be found again; default 'amoCRM'. */
  category?: string;
  /** e.g. 'amocrm-30000001' → UID amocrm-30000001-40000001. */
  uidPrefix: string;
  /** Write a UTF-8 BOM first (Excel needs it to show Cyrillic). */
  bom?: boolean;
  /** Extra labels/categories put on every contact. */
  labels?: string[];
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
