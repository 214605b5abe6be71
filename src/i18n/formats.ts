// Messages of the formats area (contact file readers). Keys are shared by both languages (a test checks it).
export const en: Record<string, string> = {
  'formats.read.failed': 'cannot read {path}: {reason}',
  'formats.read.empty': '{path} is empty: expected a vCard (.vcf) or a Google/Outlook CSV file',
  'formats.read.unknown': '{path} is neither a vCard (.vcf) nor a Google/Outlook contacts CSV',
  'formats.read.lineTooLong': '{path}, line {line}: a line longer than 16 MiB: not a contacts file',
  'formats.read.vcard.noColon': '{path}, line {line}: not a vCard property (no ":")',
  'formats.read.vcard.tooLong': '{path}, line {line}: a vCard property longer than 1 MiB',
  'formats.read.vcard.nested': '{path}, line {line}: a card inside another card was skipped (the outer card is read)',
  'formats.read.vcard.endWithoutBegin': '{path}, line {line}: END:VCARD without BEGIN:VCARD',
  'formats.read.vcard.outside': '{path}, line {line}: text outside BEGIN:VCARD … END:VCARD',
  'formats.read.vcard.noEnd': '{path}, line {line}: the card is not closed with END:VCARD (file cut short?)',
  'formats.read.csv.tooLong': '{path}, line {line}: a CSV record longer than 1 MiB (unclosed quote?)',
  'formats.read.csv.unclosed': '{path}, line {line}: a quoted CSV cell is never closed (file cut short?)',
  'formats.region.assumed': '{path}: {national, plural, one {# number has no country code and was} other {# numbers have no country code and were}} read as {region} numbers (--region sets another country)',
  'formats.region.misfit': '{path}: {misfit} of the {national, plural, one {# number} other {# numbers}} without a country code {misfit, plural, one {is not a {region} number} other {are not {region} numbers}}; if the file is from another country, run again with --region (e.g. --region CA)',
};

export const ru: Record<string, string> = {
  'formats.read.failed': 'не удалось прочитать {path}: {reason}',
  'formats.read.empty': 'файл {path} пуст: нужен vCard (.vcf) или CSV контактов Google/Outlook',
  'formats.read.unknown': 'файл {path} — не vCard (.vcf) и не CSV контактов Google/Outlook',
  'formats.read.lineTooLong': '{path}, строка {line}: строка длиннее 16 МиБ — это не файл контактов',
  'formats.read.vcard.noColon': '{path}, строка {line}: это не свойство vCard (нет «:»)',
  'formats.read.vcard.tooLong': '{path}, строка {line}: свойство vCard длиннее 1 МиБ',
  'formats.read.vcard.nested': '{path}, строка {line}: карточка внутри другой карточки пропущена (внешняя прочитана)',
  'formats.read.vcard.endWithoutBegin': '{path}, строка {line}: END:VCARD без BEGIN:VCARD',
  'formats.read.vcard.outside': '{path}, строка {line}: текст вне BEGIN:VCARD … END:VCARD',
  'formats.read.vcard.noEnd': '{path}, строка {line}: карточка не закрыта END:VCARD (файл обрезан?)',
  'formats.read.csv.tooLong': '{path}, строка {line}: запись CSV длиннее 1 МиБ (не закрыта кавычка?)',
  'formats.read.csv.unclosed': '{path}, строка {line}: кавычка в ячейке CSV не закрыта (файл обрезан?)',
  'formats.region.assumed': '{path}: {national, plural, one {# номер записан без кода страны и прочитан} few {# номера записаны без кода страны и прочитаны} many {# номеров записаны без кода страны и прочитаны} other {# номера записаны без кода страны и прочитаны}} как номера {region} (другую страну задаёт --region)',
  'formats.region.misfit': '{path}: {misfit} из {national} номеров без кода страны — не номера {region}; если файл из другой страны, запустите снова с --region (например, --region CA)',
};
