// Messages of the adb area. Keys are shared by both languages (a test checks it).
export const en: Record<string, string> = {
  'adb.noServer':
    'No adb server is listening at {host}:{port}. Start it with `{command}` and try again; this tool never starts or stops the adb server itself.',
  'adb.noServerRemote':
    'No adb server is listening at {host}:{port}. Start one on {host} that listens on the network (`adb -a -P {port} nodaemon server`) and try again.',
  'adb.serverUnreachable': 'Cannot reach the adb server at {host}:{port} ({reason}). Check -H/-P, ADB_SERVER_SOCKET and ANDROID_ADB_SERVER_ADDRESS/PORT.',
  'adb.connectTimeout': 'The adb server at {host}:{port} did not accept a connection within {seconds} s.',
  'adb.versionMismatch':
    'The adb server at {host}:{port} speaks version {server}, this tool needs version {client} (platform-tools 29 or newer). We leave that server alone: stop it with the adb that started it (`adb kill-server`), then run `adb start-server` from current platform-tools.',
  'adb.noDevice':
    'No Android phone is connected. Plug it in with a USB cable, turn on USB debugging (Settings → Developer options) and check with `adb devices`.',
  'adb.severalDevices': 'Several phones are connected: {devices}. Choose one with -s SERIAL.',
  'adb.serialNotFound': 'No phone with serial {serial} is connected. Connected: {devices}.',
  'adb.unauthorized':
    'The phone {serial} has not allowed USB debugging from this computer. Unlock the phone and accept the "Allow USB debugging?" dialog (tick "Always allow from this computer"). No dialog? Reconnect the cable, or revoke USB debugging authorisations in Developer options and reconnect.',
  'adb.offline':
    'The phone {serial} is offline. Reconnect the USB cable (another port or cable helps), unlock the phone and try again.',
  'adb.authorizing':
    'The phone {serial} is still connecting ({state}). Wait a few seconds; if it does not change, reconnect the USB cable and unlock the phone.',
  'adb.noPermissions':
    'This computer has no permission to open the phone {serial} ({reason}). On Linux install udev rules for Android phones (Debian: android-sdk-platform-tools-common), add your user to the plugdev group, then reconnect the cable.',
  'adb.badState': 'The phone {serial} is in "{state}" mode, not running Android. Restart it normally and try again.',
  'adb.timeout': 'The phone did not answer within {seconds} s (command: {command}).',
  'adb.disconnected': 'The phone {serial} was disconnected while a command was running. Check the cable and run again.',
  'adb.serverClosed': 'The adb server at {host}:{port} closed the connection unexpectedly (request: {request}).',
  'adb.failed': 'The adb server refused the request: {reason}',
  'adb.protocol': 'Unexpected answer from {host}:{port} ({detail}). Is it really an adb server?',
  'adb.badPort': 'Invalid adb server port "{value}" (from {source}): expected a number from 1 to 65535.',
  'adb.badSocketSpec': 'Unsupported ADB_SERVER_SOCKET "{value}": use tcp:PORT or tcp:HOST:PORT.',
  'adb.legacyTooLong':
    'The phone {serial} has no shell protocol v2 and the command is too long for its old shell ({bytes, plural, one {# byte} other {# bytes}}, limit {limit}).',
  'adb.sessionClosed': 'The connection to the phone {serial} is already closed.',
};

export const ru: Record<string, string> = {
  'adb.noServer':
    'Сервер adb не слушает {host}:{port}. Запустите его командой `{command}` и повторите; сама программа сервер adb не запускает и не останавливает.',
  'adb.noServerRemote':
    'Сервер adb не слушает {host}:{port}. Запустите на {host} сервер, доступный по сети (`adb -a -P {port} nodaemon server`), и повторите.',
  'adb.serverUnreachable': 'Не удаётся связаться с сервером adb {host}:{port} ({reason}). Проверьте -H/-P, ADB_SERVER_SOCKET и ANDROID_ADB_SERVER_ADDRESS/PORT.',
  'adb.connectTimeout': 'Сервер adb {host}:{port} не принял соединение за {seconds} с.',
  'adb.versionMismatch':
    'Сервер adb {host}:{port} работает по версии протокола {server}, а нужна версия {client} (platform-tools 29 или новее). Мы этот сервер не трогаем: остановите его тем adb, который его запустил (`adb kill-server`), и запустите `adb start-server` из свежих platform-tools.',
  'adb.noDevice':
    'Телефон Android не подключён. Подключите его USB-кабелем, включите отладку по USB (Настройки → Для разработчиков) и проверьте командой `adb devices`.',
  'adb.severalDevices': 'Подключено несколько телефонов: {devices}. Выберите один ключом -s СЕРИЙНЫЙ_НОМЕР.',
  'adb.serialNotFound': 'Телефон с серийным номером {serial} не подключён. Подключены: {devices}.',
  'adb.unauthorized':
    'Телефон {serial} не разрешил отладку по USB с этого компьютера. Разблокируйте телефон и подтвердите запрос «Разрешить отладку по USB?» (отметьте «Всегда разрешать с этого компьютера»). Запроса нет — переподключите кабель или отзовите авторизации отладки по USB в разделе «Для разработчиков» и подключите снова.',
  'adb.offline':
    'Телефон {serial} не в сети (offline). Переподключите USB-кабель (помогает другой порт или кабель), разблокируйте телефон и повторите.',
  'adb.authorizing':
    'Телефон {serial} ещё подключается ({state}). Подождите несколько секунд; если ничего не меняется, переподключите USB-кабель и разблокируйте телефон.',
  'adb.noPermissions':
    'У этого компьютера нет прав на работу с телефоном {serial} ({reason}). В Linux установите правила udev для телефонов Android (Debian: android-sdk-platform-tools-common), добавьте пользователя в группу plugdev и переподключите кабель.',
  'adb.badState': 'Телефон {serial} в режиме «{state}», а не в обычном Android. Перезагрузите его в обычном режиме и повторите.',
  'adb.timeout': 'Телефон не ответил за {seconds} с (команда: {command}).',
  'adb.disconnected': 'Телефон {serial} отключился во время выполнения команды. Проверьте кабель и запустите снова.',
  'adb.serverClosed': 'Сервер adb {host}:{port} неожиданно закрыл соединение (запрос: {request}).',
  'adb.failed': 'Сервер adb отклонил запрос: {reason}',
  'adb.protocol': 'Неожиданный ответ от {host}:{port} ({detail}). Это точно сервер adb?',
  'adb.badPort': 'Неверный порт сервера adb «{value}» (из {source}): нужно число от 1 до 65535.',
  'adb.badSocketSpec': 'ADB_SERVER_SOCKET «{value}» не поддерживается: укажите tcp:ПОРТ или tcp:ХОСТ:ПОРТ.',
  'adb.legacyTooLong':
    'Телефон {serial} не поддерживает протокол shell v2, а команда слишком длинна для старой оболочки ({bytes, plural, one {# байт} few {# байта} many {# байт} other {# байта}}, предел {limit}).',
  'adb.sessionClosed': 'Соединение с телефоном {serial} уже закрыто.',
};
