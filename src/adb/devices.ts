/** `host:devices-l` payload: `%-22s %s` serial and state, then `key:value` words (`transport.cpp`). */
export interface AdbDevice {
  serial: string;
  state: string;
  product?: string;
  model?: string;
  device?: string;
  transportId?: number;
}

const KNOWN_KEYS = /^(usb|product|model|device|transport_id|features):/;

export function parseDevicesLong(payload: string): AdbDevice[] {
  const out: AdbDevice[] = [];
  for (const raw of payload.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const words = line.split(/\s+/);
    const serial = words[0] as string;
    // The state is one word, except the Linux no-permissions text, which runs until the first key.
    let i = 1;
    const stateWords: string[] = [];
    while (i < words.length && !KNOWN_KEYS.test(words[i] as string)) stateWords.push(words[i++] as string);
    const d: AdbDevice = { serial, state: stateWords.join(' ') || 'unknown' };
    for (; i < words.length; i++) {
      const w = words[i] as string;
      const colon = w.indexOf(':');
      const key = w.slice(0, colon);
      const value = w.slice(colon + 1);
      if (key === 'product') d.product = value;
      else if (key === 'model') d.model = value;
      else if (key === 'device') d.device = value;
      else if (key === 'transport_id' && /^\d+$/.test(value)) d.transportId = Number(value);
    }
    out.push(d);
  }
  return out;
}
