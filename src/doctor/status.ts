/**
 * The doctor's verdict vocabulary: which checks exist and what each can report. The simulated
 * phones state their ground truth in words of their own (sandbox/phone/profiles/types.ts); the
 * tests map those to these.
 */
export type Status = 'ok' | 'warning' | 'problem' | 'not_applicable' | 'unknown';

/** In the order of the checklist (checks/index.ts); `--help` lists them without loading the checks. */
export const CHECK_IDS = ['app-installed', 'battery-saver', 'background', 'vendor-autostart', 'overlay', 'notifications', 'permissions', 'number', 'sync'] as const;

export type CheckId = (typeof CHECK_IDS)[number];
