import { describe, expect, it } from 'vitest';
import { resolveAdbEndpoint, resolveSerial, parseSocketSpec } from '../../src/adb/endpoint.js';
import { AppError } from '../../src/errors.js';

describe('resolveAdbEndpoint: the precedence adb 29 uses', () => {
  it('defaults to 127.0.0.1:5037', () => {
    expect(resolveAdbEndpoint({}, {})).toEqual({ host: '127.0.0.1', port: 5037 });
  });

  it('ANDROID_ADB_SERVER_ADDRESS / _PORT apply without flags', () => {
    expect(resolveAdbEndpoint({}, { ANDROID_ADB_SERVER_ADDRESS: '10.0.0.2', ANDROID_ADB_SERVER_PORT: '6000' })).toEqual({ host: '10.0.0.2', port: 6000 });
    expect(resolveAdbEndpoint({}, { ANDROID_ADB_SERVER_PORT: '6001' })).toEqual({ host: '127.0.0.1', port: 6001 });
  });

  it('ADB_SERVER_SOCKET beats ANDROID_ADB_SERVER_ADDRESS / _PORT', () => {
    const env = { ADB_SERVER_SOCKET: 'tcp:192.168.1.5:15037', ANDROID_ADB_SERVER_ADDRESS: '10.0.0.2', ANDROID_ADB_SERVER_PORT: '6000' };
    expect(resolveAdbEndpoint({}, env)).toEqual({ host: '192.168.1.5', port: 15037 });
  });

  it('-H / -P win over everything, and ADB_SERVER_SOCKET is ignored once either is given', () => {
    const env = { ADB_SERVER_SOCKET: 'tcp:192.168.1.5:15037', ANDROID_ADB_SERVER_ADDRESS: '10.0.0.2', ANDROID_ADB_SERVER_PORT: '6000' };
    expect(resolveAdbEndpoint({ host: '10.9.9.9', port: 7000 }, env)).toEqual({ host: '10.9.9.9', port: 7000 });
    // Only -P: the host still comes from ANDROID_ADB_SERVER_ADDRESS, as in commandline.cpp.
    expect(resolveAdbEndpoint({ port: 7000 }, env)).toEqual({ host: '10.0.0.2', port: 7000 });
    expect(resolveAdbEndpoint({ host: '10.9.9.9' }, env)).toEqual({ host: '10.9.9.9', port: 6000 });
  });

  it('reads every socket-spec form adb accepts for TCP; localhost means loopback IPv4', () => {
    expect(parseSocketSpec('tcp:15037')).toEqual({ host: '127.0.0.1', port: 15037 });
    expect(parseSocketSpec('tcp:localhost:15037')).toEqual({ host: '127.0.0.1', port: 15037 });
    expect(parseSocketSpec('tcp:[::1]:15037')).toEqual({ host: '::1', port: 15037 });
    expect(resolveAdbEndpoint({}, { ANDROID_ADB_SERVER_ADDRESS: 'LOCALHOST' }).host).toBe('127.0.0.1');
  });

  it('empty variables count as unset', () => {
    expect(resolveAdbEndpoint({ host: '' }, { ADB_SERVER_SOCKET: '', ANDROID_ADB_SERVER_PORT: ' ' })).toEqual({ host: '127.0.0.1', port: 5037 });
  });

  it.each([
    [{}, { ADB_SERVER_SOCKET: 'localabstract:adb' }, 'adb.badSocketSpec'],
    [{}, { ADB_SERVER_SOCKET: 'tcp:host:notaport' }, 'adb.badPort'],
    [{}, { ANDROID_ADB_SERVER_PORT: '70000' }, 'adb.badPort'],
    [{ port: 0 }, {}, 'adb.badPort'],
  ])('rejects %j %j with a usage error %s', (flags, env, key) => {
    let err: unknown;
    try {
      resolveAdbEndpoint(flags, env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'usage', key });
  });
});

describe('resolveSerial: -s, then ANDROID_SERIAL, as adb takes them', () => {
  it('uses ANDROID_SERIAL without -s, and -s over it; blank values count as unset', () => {
    expect(resolveSerial(undefined, { ANDROID_SERIAL: 'R58M1' })).toBe('R58M1');
    expect(resolveSerial('emulator-5554', { ANDROID_SERIAL: 'R58M1' })).toBe('emulator-5554');
    expect(resolveSerial(undefined, { ANDROID_SERIAL: ' ' })).toBeUndefined();
    expect(resolveSerial(undefined, {})).toBeUndefined();
  });
});
