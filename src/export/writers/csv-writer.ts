/**
 * The part Google and Outlook CSV share: a header written first (sized by options.columns, which
 * the spool measured over the whole file), cells addressed by column name, and the name, company,
 * title and amoCRM link columns filled alike.
 */
import type { Contact } from '../../contacts/contact.js';
import { BaseWriter } from './base-writer.js';
import { row, safeCell, textCell } from './csv-text.js';
import { contactLink, nameParts } from './display.js';
import type { WriterOptions } from './types.js';
import { cleanLine } from './vcard-text.js';

export interface CsvRow {
  /** Free text, made safe against spreadsheet formulas. */
  set(column: string, text: string): void;
  /** A cell already encoded with safeCell/textCell. */
  put(column: string, cell: string): void;
}

/** Where each format keeps the company name, the job title and the link to the amoCRM card. */
export interface OrgColumns {
  company: string;
  title: string;
  link: string;
  /** A column naming the link, and its text. */
  linkLabel?: [string, string];
}

export abstract class CsvWriter extends BaseWriter {
  readonly extension = 'csv';
  readonly mediaType = 'text/csv; charset=utf-8';
  private readonly index: Map<string, number>;

  constructor(o: WriterOptions, private readonly columns: readonly string[], private readonly org: OrgColumns) {
    super(o);
    this.index = new Map(columns.map((h, i) => [h, i]));
  }

  protected override columnsLine(): string {
    return row(this.columns.map(safeCell));
  }

  write(c: Contact): string {
    const cells = new Array<string>(this.columns.length).fill('');
    const put = (col: string, cell: string): void => {
      cells[this.index.get(col)!] = cell;
    };
    const r: CsvRow = { put, set: (col, text) => put(col, textCell(text, this.o.spreadsheetSafe)) };
    const names = nameParts(c);
    r.set('First Name', names.first);
    r.set('Middle Name', names.middle);
    r.set('Last Name', names.last);
    if (c.company) r.set(this.org.company, cleanLine(c.company.name));
    if (c.position) r.set(this.org.title, cleanLine(c.position));
    const link = contactLink(this.o.linkBase, c);
    if (link) {
      r.set(this.org.link, link);
      if (this.org.linkLabel) r.set(...this.org.linkLabel);
    }
    this.fill(c, r);
    return row(cells);
  }

  /** Everything past the name, company and title columns. */
  protected abstract fill(c: Contact, r: CsvRow): void;
}
