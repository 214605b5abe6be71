/**
 * The doctor's verdict vocabulary: which checks exist and what each can report. A type-only module
 * of its own because it is a shared type in the sense of design.md: the sandbox's phone profiles
 * state their ground truth in these words and may import this file (and only this one) from the
 * doctor, so the two can never drift apart while the sandbox still pulls in no doctor code.
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
