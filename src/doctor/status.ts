/**
 * The doctor's verdict vocabulary: which checks exist and what each can report. The simulated
 * phones state their ground truth in words of their own (sandbox/phone/profiles/types.ts); the
 * tests map those to these.
 */
export type Status = 'ok' | 'warning' | 'problem' | 'not_applicable' | 'unknown';

export type CheckId =
  | 'app-installed'
  | 'battery-saver'
  | 'background'
  | 'vendor-autostart'
  | 'overlay'
  | 'notifications'
  | 'permissions'
  | 'number'
  | 'sync';
