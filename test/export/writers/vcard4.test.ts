import { describe, expect, it } from 'vitest';
import { ezVcardValidate, vcard4Parse, vobjectParse } from '../../helpers/validators.js';
import { hostileCases } from './hostile-contacts.js';
import { crlfLines, render } from './render.js';

type Parsed = { property: string; parameters: Record<string, string | string[]>; value: unknown };

describe('vCard 4.0 writer (RFC 6350), checked by independent parsers', () => {
  const cases = hostileCases();
  const out = render('vcard4', cases.map((c) => c.contact));
  const cards = vcard4Parse(out.text);
  const props = (i: number, name: string): Parsed[] => (cards[i]!.parsedVcard as Parsed[]).filter((p) => p.property === name);

  it("parses with vcard4's strict parser, one card per contact", () => {
    expect(cards).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      // vcard4 4.0.5 unescapes `\\n` (escaped backslash, then n) as backslash + newline; vobject
      // reads those values exactly (last test), so only backslash-free names are compared here.
      if (!c.expect.fn.includes('\\')) expect(props(i, 'FN')[0]!.value).toBe(c.expect.fn);
      expect(props(i, 'UID')[0]!.value).toBe(`amocrm-30000001-${c.contact.id}`);
      // A contact with no name of its own is its company (amoCRM shows the company there too).
      expect(props(i, 'KIND')[0]!.value).toBe(i === 6 ? 'org' : 'individual');
      expect(props(i, 'EMAIL').map((p) => p.value)).toEqual(c.expect.emails);
    });
  });

  it('writes valid numbers as tel: URIs with the extension, free text as text', () => {
    const tel = props(0, 'TEL');
    expect(tel.map((p) => p.value)).toEqual(['tel:+79990000001', 'tel:+74950000002;ext=123']);
    expect(tel.map((p) => p.parameters.VALUE)).toEqual(['uri', 'uri']);
    expect(tel[0]!.parameters.TYPE).toBe('cell');
    const evil = props(2, 'TEL');
    expect(evil.map((p) => p.value)).toEqual(['8 916 123-45-67 TEL:+10000000000', '+7 111 000 00 00', 'внутр. 45']);
    expect(evil.every((p) => p.parameters.VALUE === 'text')).toBe(true);
  });

  it('marks the first phone, e-mail and messenger PREF=1 and writes IMPP URIs', () => {
    expect(props(0, 'TEL').map((p) => p.parameters.PREF)).toEqual(['1', undefined]);
    expect(props(8, 'EMAIL').map((p) => p.parameters.PREF)).toEqual(['1', undefined, undefined, undefined]);
    expect(props(0, 'IMPP').map((p) => p.value)).toEqual(['https://t.me/petr_obraztsov', 'skype:petr.o']);
    expect(props(3, 'IMPP').map((p) => p.value)).toEqual(['https://wa.me/79167654321', 'xmpp:fam@jabber.example']);
  });

  it('folds at 75 octets with CRLF and never escapes ":"', () => {
    for (const l of crlfLines(out.text)) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(out.text).not.toContain('\\:');
    expect(out.text).not.toContain('\ufffd');
  });

  it('ez-vcard validates it as 4.0 without warnings, and python-vobject reads the same values', () => {
    const r = ezVcardValidate(out.file);
    expect(r.cards).toBe(cases.length);
    expect(r.warnings).toEqual([]);
    const v = vobjectParse(out.file);
    expect(v.map((c) => c.fn)).toEqual(cases.map((c) => c.expect.fn));
    expect(v.map((c) => c.version)).toEqual(cases.map(() => '4.0'));
  });
});
