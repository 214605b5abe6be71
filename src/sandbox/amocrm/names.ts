/** Word lists for seeded names. Russian surnames come in male/female pairs so names agree. */
export const RU_MALE_FIRST = ['Александр', 'Алексей', 'Андрей', 'Артём', 'Владимир', 'Дмитрий', 'Евгений', 'Иван', 'Игорь', 'Кирилл', 'Максим', 'Михаил', 'Никита', 'Николай', 'Олег', 'Павел', 'Пётр', 'Роман', 'Сергей', 'Юрий'];
export const RU_FEMALE_FIRST = ['Алёна', 'Анастасия', 'Анна', 'Валентина', 'Дарья', 'Екатерина', 'Елена', 'Ирина', 'Ксения', 'Любовь', 'Мария', 'Наталья', 'Ольга', 'Полина', 'Светлана', 'Татьяна', 'Юлия', 'Яна'];
export const RU_LAST: readonly (readonly [string, string])[] = [
  ['Иванов', 'Иванова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'], ['Васильев', 'Васильева'],
  ['Петров', 'Петрова'], ['Соколов', 'Соколова'], ['Михайлов', 'Михайлова'], ['Новиков', 'Новикова'], ['Фёдоров', 'Фёдорова'],
  ['Морозов', 'Морозова'], ['Волков', 'Волкова'], ['Алексеев', 'Алексеева'], ['Лебедев', 'Лебедева'], ['Семёнов', 'Семёнова'],
  ['Егоров', 'Егорова'], ['Павлов', 'Павлова'], ['Козлов', 'Козлова'], ['Степанов', 'Степанова'], ['Николаев', 'Николаева'],
  ['Шевченко', 'Шевченко'], ['Ким', 'Ким'], ['Черных', 'Черных'], ['Щербаков', 'Щербакова'],
];
export const LATIN_FIRST = ['John', 'Mary', 'Peter', 'Anna', 'Thomas', 'Laura', 'Hans', 'Greta', 'José', 'María', 'François', 'Zoë', 'Aleksandr', 'Olena', 'Wei', 'Aigerim'];
export const LATIN_LAST = ['Smith', 'Johnson', 'Müller', 'Schmidt', 'García', 'Martínez', 'Dupont', "O'Connor", 'Kowalski', 'Nowak', 'Shevchenko', 'Chen', 'Nurlanov', 'van der Berg'];
export const NAME_ONLY = ['Клиент с выставки', 'Менеджер склада', 'Бухгалтерия', 'Ivan (expo 2024)', 'Секретарь', 'Водитель Сергей', 'Reception', 'Тётя Валя', 'Support line'];
export const COMPANY_FORMS = ['ООО «{w}»', 'АО «{w}»', 'ИП {w}', '{w} Ltd', '{w} GmbH', 'ТОО «{w}»', '{w}'];
export const COMPANY_WORDS = ['Ромашка', 'Вектор', 'Сибирь-Логистик', 'ТехноСтрой', 'Альфа', 'Горизонт', 'Acme', 'Northwind', 'Globex', 'Берёзка', 'Уралмаш-Сервис', 'Kazakh Trade'];
export const POSITIONS = ['Директор', 'Менеджер по закупкам', 'Главный бухгалтер', 'CEO', 'Sales manager', 'Инженер', 'Секретарь'];
export const EMAIL_DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'example.com', 'bk.ru', 'company.kz'];
export const TAGS: readonly { id: number; name: string; color: string | null }[] = [
  { id: 80001, name: 'VIP', color: null },
  { id: 80002, name: 'Клиент', color: 'DDEBB5' },
  { id: 80003, name: 'Партнёр', color: null },
  { id: 80004, name: 'Выставка 2024', color: 'FFC8C8' },
  { id: 80005, name: 'cold', color: null },
];

/** Values that break naive CSV/vCard writers; contact i with i % 97 === 13 gets one of them. */
export const HOSTILE: readonly string[] = [
  'Иванов, Иван; ООО "Рога и копыта"',
  `O'Brien "The \\ Boss" \\n not a newline`,
  'Строка первая\nСтрока вторая',
  'Line one\r\nLine two',
  'Before\rAfter',
  'Ctl\u0000\u0001\u0007\u001b[31mRed\u001f\u007fEnd',
  '👨‍👩‍👧‍👦 Семья 🇷🇺 🏳️‍🌈 👍🏽',
  'محمد عبد الله \u202Eevil\u202C שלום',
  `${'Длинное имя '.repeat(167).slice(0, 1999)}Я`,
  '=HYPERLINK("http://evil.example","click")',
  '+SUM(1,2)',
  '-2+3',
  '@SUM(A1:A2)',
  'Evil\r\nTEL:+70000000000\r\nEND:VCARD',
  'Tab\there: colon; semi\\, comma',
];
