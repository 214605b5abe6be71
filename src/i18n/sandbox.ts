// Messages of the sandbox area. Keys are shared by both languages (a test checks it).
export const en: Record<string, string> = {
  'sandbox.error.notLoopback': 'The sandbox listens on loopback addresses only (127.0.0.1, ::1, localhost), not {host}.',
  'sandbox.error.listen': 'Cannot start the sandbox on {host}:{port}: {reason}.',
  'sandbox.expected.integer': 'a whole number from {min} to {max}',
  'sandbox.expected.rate': 'a number from 0 to 1',
  'sandbox.started': 'amoCRM sandbox with {contacts, plural, one {# contact} other {# contacts}} (seed {seed}) is listening on {url}.',
  'sandbox.hint.login': 'Log in to it with: amo-export login --base-url {url} --token <the token above>',
  'sandbox.hint.oauth': 'OAuth client for the code flow: id {clientId}, redirect URI {redirectUri} (--json shows the secret).',
  'sandbox.hint.stop': 'Press Ctrl+C to stop.',
  'sandbox.stopped': 'Sandbox stopped.',
};

export const ru: Record<string, string> = {
  'sandbox.error.notLoopback': 'Песочница слушает только loopback-адреса (127.0.0.1, ::1, localhost), а не {host}.',
  'sandbox.error.listen': 'Не удалось запустить песочницу на {host}:{port}: {reason}.',
  'sandbox.expected.integer': 'целое число от {min} до {max}',
  'sandbox.expected.rate': 'число от 0 до 1',
  'sandbox.started': 'Песочница amoCRM с {contacts, plural, one {# контактом} few {# контактами} many {# контактами} other {# контактами}} (seed {seed}) слушает {url}.',
  'sandbox.hint.login': 'Войти в неё: amo-export login --base-url {url} --token <токен выше>',
  'sandbox.hint.oauth': 'OAuth-клиент для входа по коду: id {clientId}, redirect URI {redirectUri} (секрет выводит --json).',
  'sandbox.hint.stop': 'Остановить: Ctrl+C.',
  'sandbox.stopped': 'Песочница остановлена.',
};
