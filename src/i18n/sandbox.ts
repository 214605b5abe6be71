// Messages of the sandbox area. Keys are shared by both languages (a test checks it).
export const en: Record<string, string> = {};

export const ru: Record<string, string> = {};
