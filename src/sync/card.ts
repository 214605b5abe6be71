/**
 * One contact as one card: the vCard 3.0 file writer's text (so a book first filled from a .vcf
 * import has the same UIDs and is adopted), plus a property that marks the card as ours.
 */
import { createHash } from 'node:crypto';
import type { Contact } from '../contacts/contact.js';
import { VCard3Writer } from '../export/writers/vcard3.js';

/** Servers that keep custom properties keep this one; the map and the UID scheme do the rest. */
export const SYNC_MARK = 'X-AMO-PHONEBOOK:sync';

export interface CardRenderer {
  /** `amocrm-<account>-`: every UID this account's cards carry. */
  readonly uidPrefix: string;
  uidOf(contactId: number): string;
  render(c: Contact): string;
}

export function cardRenderer(accountId: number, category?: string): CardRenderer {
  const base = `amocrm-${accountId}`;
  const writer = new VCard3Writer({ uidPrefix: base, category });
  return {
    uidPrefix: `${base}-`,
    uidOf: (id) => `${base}-${id}`,
    render: (c) => writer.write(c).replace(/END:VCARD\r\n$/, `${SYNC_MARK}\r\nEND:VCARD\r\n`),
  };
}

export function cardHash(card: string): string {
  return createHash('sha256').update(card).digest('base64url').slice(0, 22);
}

/** The resource name we ask for; some servers (Google) store the card elsewhere anyway. */
export function cardUrl(book: string, uid: string): string {
  return new URL(`${encodeURIComponent(uid)}.vcf`, book).href;
}

/** The UID of a vCard text (unfolded, any parameters, any case), or undefined. */
export function readUid(card: string): string | undefined {
  const unfolded = card.replace(/\r?\n[ \t]/g, '');
  const m = /^(?:[\w-]+\.)?UID(?:;[^:\r\n]*)?:(.*)$/im.exec(unfolded);
  return m ? m[1]!.trim().replace(/\\([,;\\])/g, '$1') : undefined;
}

/** The contact id in one of our UIDs, or undefined for anyone else's card. */
export function contactIdOf(uid: string, uidPrefix: string): number | undefined {
  if (!uid.startsWith(uidPrefix)) return undefined;
  const rest = uid.slice(uidPrefix.length);
  return /^\d{1,15}$/.test(rest) ? Number(rest) : undefined;
}
