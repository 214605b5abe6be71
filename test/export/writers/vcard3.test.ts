import { describe, expect, it } from 'vitest';
import { ezVcardValidate, khardList, vobjectParse } from '../../helpers/validators.js';
import { hostileCases } from './hostile-contacts.js';
import { crlfLines, render } from './render.js';

const ALLOWED = new Set(['VERSION', 'PRODID', 'UID', 'N', 'FN', 'ORG', 'TITLE', 'TEL', 'EMAIL', 'IMPP', 'CATEGORIES', 'REV']);

describe('vCard 3.0 writer, checked by independent parsers', () => {
  const cases = hostileCases();
  const out = render('vcard', cases.map((c) => c.contact));

  it('uses CRLF only, folds every physical line at 75 octets, and is valid UTF-8', () => {
    const lines = crlfLines(out.text);
    for (const l of lines) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(out.text).not.toContain('\ufffd');
    expect(Buffer.from(out.text, 'utf8').toString('utf8')).toBe(out.text);
    // Folds happened inside Cyrillic and emoji, and a continuation never starts mid-character.
    expect(lines.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(50);
  });

  it('never escapes ":" and never lets a value start a property of its own', () => {
    expect(out.text).not.toContain('\\:');
    const starts = crlfLines(out.text).filter((l) => !l.startsWith(' ')).map((l) => l.split(/[;:]/)[0]!);
    for (const name of starts) expect(['BEGIN', 'END', ...ALLOWED].includes(name) || /^X-[A-Za-z-]+$/.test(name)).toBe(true);
    expect(starts.filter((n) => n === 'BEGIN')).toHaveLength(cases.length);
  });

  it('python-vobject reads every contact, phone and e-mail back exactly', () => {
    const cards = vobjectParse(out.file);
    expect(cards).toHaveLength(cases.length);
    cards.forEach((card, i) => {
      const { contact, expect: want } = cases[i]!;
      expect(card.version).toBe('3.0');
      expect(card.uid).toBe(`amocrm-30000001-${contact.id}`);
      expect(card.fn).toBe(want.fn);
      expect(card.tels.map((t) => t.value)).toEqual(want.phones);
      expect(card.emails.map((e) => e.value)).toEqual(want.emails);
      const org = card.lines.find((l) => l.name === 'ORG')?.value;
      expect(org ? (org as string[])[0] : undefined).toBe(want.company);
      expect(card.lines.find((l) => l.name === 'TITLE')?.value).toBe(want.title?.replace(/\n/g, ' '));
      for (const l of card.lines) expect(ALLOWED.has(l.name) || /^X-[A-Z-]+$/.test(l.name)).toBe(true);
      expect(card.lines.some((l) => l.name === 'X-INJECT')).toBe(false);
      expect(card.categories[0]).toBe('amoCRM');
      expect(card.lines.find((l) => l.name === 'REV')?.value).toBe('20261120T101500Z');
    });
  });

  it('maps amoCRM phone kinds to the TEL types Android and Apple understand', () => {
    const cards = vobjectParse(out.file);
    expect(cards[0]!.tels.map((t) => t.types)).toEqual([['cell'], ['work']]);
    const many = cards[8]!.tels.map((t) => t.types.join(','));
    expect(many).toEqual(['cell', 'cell', 'work', 'work', 'work', 'fax,work', 'home', 'other']);
    expect(out.text).not.toMatch(/TYPE=[^:]*MOBILE/);
    expect(cards[0]!.emails[0]!.types).toEqual(['internet', 'work']);
  });

  it('writes messengers as the classic X- property and as IMPP', () => {
    const first = vobjectParse(out.file)[0]!.lines;
    const v = (name: string): unknown[] => first.filter((l) => l.name === name).map((l) => l.value);
    expect(v('X-TELEGRAM')).toEqual(['petr_obraztsov']);
    expect(v('X-SKYPE')).toEqual(['petr.o']);
    expect(v('IMPP')).toEqual(['https://t.me/petr_obraztsov', 'skype:petr.o']);
    expect(first.find((l) => l.name === 'IMPP')!.params['X-SERVICE-TYPE']).toEqual(['Telegram']);
  });

  it('ez-vcard validate() finds nothing to complain about', () => {
    const r = ezVcardValidate(out.file);
    expect(r.cards).toBe(cases.length);
    expect(r.warnings).toEqual([]);
  });

  it('khard lists every card by UID and shows phones, e-mails and messengers', () => {
    const first = `amocrm-30000001-${cases[0]!.contact.id}`;
    const evil = `amocrm-30000001-${cases[2]!.contact.id}`;
    const entries = khardList(out.dir, [first, evil]);
    expect(entries.map((e) => e.uid).sort()).toEqual(cases.map((c) => `amocrm-30000001-${c.contact.id}`).sort());
    const shown = entries.find((e) => e.uid === first)!.yaml;
    expect(shown['Formatted name']).toBe('Пётр Образцов');
    expect(shown.Phone).toEqual({ CELL: '+7 999 000 00 01', WORK: '+7 495 000 00 02 ext. 123' });
    expect(shown.Email).toEqual({ 'INTERNET, WORK': 'petr@example.com' });
    expect((shown.Private as Record<string, string>).Telegram).toBe('petr_obraztsov');
    const hostile = entries.find((e) => e.uid === evil)!.yaml;
    expect(hostile['Formatted name']).toBe(cases[2]!.expect.fn);
    expect(hostile.Phone).toEqual({ WORK: '8 916 123-45-67 TEL:+10000000000', OTHER: ['+7 111 000 00 00', 'внутр. 45'] });
  });

  it('writes a BOM only when asked', () => {
    expect(out.text.charCodeAt(0)).not.toBe(0xfeff);
    const bom = render('vcard', [cases[0]!.contact], { bom: true });
    expect(bom.text.charCodeAt(0)).toBe(0xfeff);
  });

  it('uses the category and extra labels given', () => {
    const r = render('vcard', [cases[0]!.contact], { category: 'Из CRM', labels: ['Продажи', 'VIP'] });
    expect(vobjectParse(r.file)[0]!.categories).toEqual(['Из CRM', 'Продажи', 'VIP', 'Клиенты']);
  });
});
