/**
 * The domain contact every writer and the caller-ID builder consume. Built from API records by
 * src/contacts/, or read back from a vCard/CSV file; nothing here knows HTTP or file formats.
 */
export type PhoneKind = 'cell' | 'work' | 'home' | 'fax' | 'other';
export type EmailKind = 'work' | 'home' | 'other';

export interface Phone {
  /** As typed in the CRM. */
  raw: string;
  kind: PhoneKind;
  /** `+79161234567` when the string parsed as a possible phone number. */
  e164?: string;
  /** Extension digits (`доб. 123`), kept apart from e164. */
  ext?: string;
  /** True when libphonenumber-js accepted the number (possible length for its region). */
  valid: boolean;
  /** `+7 495 000 00 02 ext. 123`, computed once at normalization so writers need not re-parse. */
  international?: string;
}

export interface Email {
  value: string;
  kind: EmailKind;
}

export interface Messenger {
  /** Lower-case service: skype, telegram, whatsapp, viber, jabber, icq, vk, other. */
  service: string;
  handle: string;
}

export interface Contact {
  /** Account the contact comes from (amoCRM account id, or 0 for a file). */
  accountId: number;
  id: number;
  name: string;
  firstName: string;
  lastName: string;
  company?: { id: number; name: string };
  position?: string;
  phones: Phone[];
  emails: Email[];
  messengers: Messenger[];
  tags: string[];
  responsibleUserId: number;
  groupId: number;
  /** Unix seconds. */
  createdAt: number;
  updatedAt: number;
}
