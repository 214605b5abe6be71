/**
 * vCard writer speed: our 3.0 writer (and 4.0 writer) against the npm vcard4 package, building the
 * same cards from the same contacts in the same run. Prints contacts/s for each and the ratio
 * (issue 3 asks for at least 20× over vcard4). Run: npx tsx bench/vcard-writer.ts [contacts]
 */
import {
  CategoriesProperty, DateTimeType, EmailProperty, FNProperty, IMPPProperty, NProperty, OrgProperty,
  ParameterValueType, RevProperty, SpecialValueType, TelProperty, TextListType, TextType, TitleProperty,
  TypeParameter, UIDProperty, URIType, VCARD, ValueParameter,
} from 'vcard4';
import type { Contact } from '../src/contacts/contact.js';
import { toPhone } from '../src/contacts/phone.js';
import { createWriter } from '../src/export/writers/index.js';
import { revStamp } from '../src/export/writers/vcard-text.js';

const N = Number(process.argv[2] ?? 10000);
const FIRST = ['Пётр', 'Анна', 'Иван', 'Мария', 'Сергей', 'Ольга', 'John', 'Jane'];
const LAST = ['Образцов', 'Смирнова', 'Петров', 'Иванова', 'Кузнецов', 'Doe', 'Smith'];

function contacts(n: number): Contact[] {
  const out: Contact[] = [];
  for (let i = 0; i < n; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[i % LAST.length]!;
    out.push({
      accountId: 30000001, id: 40000001 + i, name: `${first} ${last}`, firstName: first, lastName: last,
      company: { id: 50000001 + (i % 100), name: `ООО «Компания ${i % 100}», отдел продаж; филиал` },
      position: i % 3 ? 'Менеджер по работе с клиентами' : 'Директор',
      phones: [toPhone(`8 (999) ${String(i % 10000000).padStart(7, '0')}`, 'cell', 'RU'), toPhone(`+7 495 000-${String(i % 100).padStart(2, '0')}-02 доб. ${i % 1000}`, 'work', 'RU')],
      emails: [{ value: `user${i}@example.com`, kind: 'work' }],
      messengers: i % 2 ? [{ service: 'telegram', handle: `user_${i}` }] : [],
      tags: ['VIP', 'Клиенты'], responsibleUserId: 9000001, groupId: 0, createdAt: 1767280012, updatedAt: 1767351234 + i,
    });
  }
  return out;
}

const TEL_TYPE = { cell: 'cell', work: 'work', home: 'home', fax: 'fax', other: 'voice' } as const;

/** The same card built with vcard4's object model and serialized with its repr(). */
function viaVcard4(c: Contact): string {
  const props: unknown[] = [
    new FNProperty([], new TextType(c.name)),
    new NProperty([], new SpecialValueType('nproperty', [new TextType(c.lastName), new TextType(c.firstName), new TextListType([]), new TextListType([]), new TextListType([])])),
    new UIDProperty([new ValueParameter(new TextType('x'))], new TextType(`amocrm-${c.accountId}-${c.id}`)),
  ];
  if (c.company) props.push(new OrgProperty([], new SpecialValueType('orgproperty', [new TextType(c.company.name)])));
  if (c.position) props.push(new TitleProperty([], new TextType(c.position)));
  for (const p of c.phones)
    props.push(new TelProperty([new TypeParameter('telproperty', new ParameterValueType(TEL_TYPE[p.kind])), new ValueParameter(new URIType('tel:x'))], new URIType(`tel:${p.e164}${p.ext ? `;ext=${p.ext}` : ''}`)));
  for (const e of c.emails) props.push(new EmailProperty([new TypeParameter('emailproperty', new ParameterValueType(e.kind === 'home' ? 'home' : 'work'))], new TextType(e.value)));
  for (const m of c.messengers) props.push(new IMPPProperty([], new URIType(`https://t.me/${m.handle}`)));
  props.push(new CategoriesProperty([], new TextListType(['amoCRM', ...c.tags].map((t) => new TextType(t)))));
  props.push(new RevProperty([], new DateTimeType('timestamp', revStamp(c.updatedAt))));
  return new VCARD(props as ConstructorParameters<typeof VCARD>[0]).repr();
}

function measure(label: string, run: () => number): number {
  // Best of three: the first round also pays for JIT warm-up.
  let best = Infinity;
  let bytes = 0;
  for (let round = 0; round < 3; round++) {
    const t0 = process.hrtime.bigint();
    bytes = run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const rate = N / best;
  console.log(`${label.padEnd(28)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} contacts/s  (${(bytes / 1024 / 1024).toFixed(1)} MiB in ${(best * 1000).toFixed(0)} ms)`);
  return rate;
}

const list = contacts(N);
console.log(`${N.toLocaleString('en-US')} contacts, Node ${process.version}, best of 3\n`);
const ours3 = measure('amo-phonebook vCard 3.0', () => {
  const w = createWriter('vcard', { uidPrefix: 'amocrm-30000001' });
  let n = 0;
  for (const c of list) n += w.write(c).length;
  return n;
});
const ours4 = measure('amo-phonebook vCard 4.0', () => {
  const w = createWriter('vcard4', { uidPrefix: 'amocrm-30000001' });
  let n = 0;
  for (const c of list) n += w.write(c).length;
  return n;
});
const theirs = measure('vcard4 4.0.5 (baseline)', () => {
  let n = 0;
  for (const c of list) n += viaVcard4(c).length;
  return n;
});
console.log(`\nratio vCard 3.0 / vcard4: ${(ours3 / theirs).toFixed(1)}×   (target ≥ 20×)`);
console.log(`ratio vCard 4.0 / vcard4: ${(ours4 / theirs).toFixed(1)}×`);
