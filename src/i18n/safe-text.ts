/**
 * Text from a server (an error detail, an account or user name, a header) must not steer the
 * terminal: ESC sequences can retitle the window, clear the screen or hide text, and bidi
 * controls can make a message read differently from what it says. Every message parameter
 * passes through here when the message is formatted (src/i18n/index.ts `format`): that is the one
 * place all of them meet, whichever server field, header or file they came from.
 */

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-byte ESC sequences; the C1 forms too.
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[ -~]?|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*[\u0007\u009c]?/g;
// C0 (line breaks become spaces first), DEL, C1, and the bidi embedding/override/isolate marks.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function safeText(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(/[\r\n\t\v\f]+/g, ' ').replace(CONTROL, '');
}
