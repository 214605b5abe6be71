/**
 * What every writer shares: the options with their defaults resolved, the optional BOM in front of
 * the format's own first line, no footer, and the dropped-phone counter.
 */
import type { Contact } from '../../contacts/contact.js';
import { categories } from './display.js';
import { DEFAULT_CATEGORY, type ContactWriter, type WriterOptions } from './types.js';

export abstract class BaseWriter implements ContactWriter {
  abstract readonly extension: string;
  abstract readonly mediaType: string;
  readonly warnings = { droppedPhones: 0 };
  private readonly category: string;
  private readonly labels: string[];

  constructor(protected readonly o: WriterOptions) {
    this.category = o.category ?? DEFAULT_CATEGORY;
    this.labels = o.labels ?? [];
  }

  header(): string {
    return (this.o.bom ? '\ufeff' : '') + this.columnsLine();
  }

  footer(): string {
    return '';
  }

  abstract write(c: Contact): string;

  /** The format's own first line (CSV column names); vCard has none. */
  protected columnsLine(): string {
    return '';
  }

  /** Our category first, then the contact's tags and the extra labels. */
  protected categoriesOf(c: Contact): string[] {
    return categories(c, this.category, this.labels);
  }
}
