/**
 * Messenger output: the classic `X-…` property Android's importer reads (VCardEntry sImMap) and
 * the `IMPP;X-SERVICE-TYPE=…` URI form Apple writes (contact-formats.md §2–§4).
 */
import type { Messenger } from '../../contacts/contact.js';
import { cleanLine, uriPart } from './vcard-text.js';

interface ServiceSpec {
  label: string;
  /** Legacy properties; Android knows X-SKYPE-USERNAME, X-JABBER, X-ICQ, X-GOOGLE-TALK. */
  classic: string[];
  uri(handle: string): string;
}

export const SERVICES: Record<string, ServiceSpec> = {
  skype: { label: 'Skype', classic: ['X-SKYPE', 'X-SKYPE-USERNAME'], uri: (h) => `skype:${uriPart(h)}` },
  jabber: { label: 'Jabber', classic: ['X-JABBER'], uri: (h) => `xmpp:${uriPart(h)}` },
  icq: { label: 'ICQ', classic: ['X-ICQ'], uri: (h) => `icq:${uriPart(h)}` },
  telegram: { label: 'Telegram', classic: ['X-TELEGRAM'], uri: (h) => `https://t.me/${uriPart(h.replace(/^@/, ''))}` },
  whatsapp: { label: 'WhatsApp', classic: ['X-WHATSAPP'], uri: (h) => `https://wa.me/${uriPart(h.replace(/[^\d]/g, '') || h)}` },
  viber: { label: 'Viber', classic: ['X-VIBER'], uri: (h) => `viber://chat?number=${uriPart(h)}` },
  vk: { label: 'VK', classic: ['X-VK'], uri: (h) => `https://vk.com/${uriPart(h)}` },
};

export function serviceLabel(service: string): string {
  return SERVICES[service]?.label ?? (cleanLine(service) || 'Other');
}

/** URI for IMPP; an unknown service keeps a handle that already is a URI, else `x-<service>:handle`. */
export function messengerUri(m: Messenger): string {
  const spec = SERVICES[m.service];
  if (spec) return spec.uri(m.handle);
  const h = cleanLine(m.handle);
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(h) && URL.canParse(h)) return encodeURI(h).replace(/,/g, '%2C').replace(/;/g, '%3B');
  const scheme = m.service.toLowerCase().replace(/[^a-z0-9]/g, '') || 'other';
  return `x-${scheme}:${uriPart(h)}`;
}
