// Messages shared by all three commands. Keys are shared by both languages (a test checks it).
export const en: Record<string, string> = {
  'error.prefix': 'Error',
  'error.internal': 'Internal error: {message}. Run again with --verbose for details.',
  'error.usage': '{message}',
  'error.cancelled': 'Cancelled.',
  'error.targetBusy': 'Another amo-phonebook run (pid {pid} on {host}, started {since}) is writing to {target}. Wait for it to finish, or add --wait to queue behind it.',
  'config.error.notWritable': 'The config directory {dir} is not writable ({reason}). Fix its permissions, or point AMO_PHONEBOOK_CONFIG_DIR at a writable directory.',
  'error.missingFlag': 'This needs {flag} when not running interactively.',
  'error.badDate': 'Invalid date "{value}" for {flag}: use YYYY-MM-DD or an ISO 8601 timestamp.',
  'error.badNumber': 'Invalid value "{value}" for {flag}: {expected}.',
  'error.badInteger': 'Invalid value "{value}" for {flag}: expected a positive whole number.',
  'error.fileRead': 'Cannot read {path}: {reason}.',
  'error.fileWrite': 'Cannot write {path}: {reason}.',
  'hint.verbose': 'Run again with --verbose for details.',
  'error.stdoutWrite': 'Cannot write to standard output: {reason}.',
};

export const ru: Record<string, string> = {
  'error.prefix': 'Ошибка',
  'error.internal': 'Внутренняя ошибка: {message}. Запустите ещё раз с --verbose, чтобы увидеть подробности.',
  'error.usage': '{message}',
  'error.cancelled': 'Отменено.',
  'error.targetBusy': 'В {target} уже пишет другой запуск amo-phonebook (pid {pid} на {host}, начат {since}). Дождитесь его окончания или добавьте --wait, чтобы встать в очередь.',
  'config.error.notWritable': 'В каталог настроек {dir} нельзя писать ({reason}). Исправьте права или укажите в AMO_PHONEBOOK_CONFIG_DIR каталог, доступный для записи.',
  'error.missingFlag': 'Без интерактивного терминала нужен параметр {flag}.',
  'error.badDate': 'Неверная дата «{value}» в {flag}: используйте ГГГГ-ММ-ДД или метку времени ISO 8601.',
  'error.badNumber': 'Неверное значение «{value}» в {flag}: {expected}.',
  'error.badInteger': 'Неверное значение «{value}» в {flag}: нужно целое положительное число.',
  'error.fileRead': 'Не удалось прочитать {path}: {reason}.',
  'error.fileWrite': 'Не удалось записать {path}: {reason}.',
  'hint.verbose': 'Запустите ещё раз с --verbose, чтобы увидеть подробности.',
  'error.stdoutWrite': 'Не удалось записать в стандартный вывод: {reason}.',
};
