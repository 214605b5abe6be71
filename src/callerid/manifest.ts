/** manifest.json of a caller-ID dataset directory: what was built, from what, under which policy. */
export const MANIFEST = 'manifest.json';
export const FORMAT = 'amo-phonebook-callerid';
export const FORMAT_VERSION = 1;
/** iOS refuses a load request once it reaches 2,000,000 entries. */
export const IOS_MAX = 1_999_999;
export const DEFAULT_LIMITS = { ios: 100_000, android: 50_000 } as const;
export const PRIORITY = 'recency_desc,contact_id_asc,number_asc';

export type Platform = 'ios' | 'android';
export const PLATFORMS: readonly Platform[] = ['ios', 'android'];

/** Every file a build may write, relative to the dataset directory. */
export const PATHS = {
  ios: { full: 'ios/callerid.bin', tsv: 'ios/callerid.tsv', delta: 'ios/delta.bin', base: 'ios/base.tsv' },
  android: { full: 'android/callerid.sqlite', tsv: 'android/callerid.tsv', delta: 'android/delta.bin', base: 'android/base.tsv' },
} as const;

export type FileKind = 'full' | 'tsv' | 'delta' | 'base';

export interface ManifestFile {
  path: string;
  platform: Platform;
  kind: FileKind;
  format: 'crmi' | 'sqlite' | 'tsv' | 'crmd';
  /** Entries in a full/tsv/base file. */
  entries?: number;
  /** Build id a delta applies to / a base snapshot belongs to. */
  base?: string;
  add?: number;
  remove?: number;
  bytes: number;
  sha256: string;
}

export interface PlatformCounts {
  entries: number;
  limit: number;
  excluded: number;
  droppedOverLimit: number;
  /** ISO time of the newest-first cut, when numbers were dropped over the limit. */
  cutoff: string | null;
  merged: number;
  added: number;
  removed: number;
  changed: number;
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  buildId: string;
  baseBuildId: string | null;
  generatedAt: string;
  source: { crm: 'amocrm' | 'file'; accountHash: string; updatedAtMax: string | null };
  defaultRegion: string;
  policy: {
    labelMaxChars: number;
    labelTemplate: string;
    fallbackLabel: string;
    merge: string;
    priority: string;
    limits: Partial<Record<Platform, number>>;
  };
  counts: {
    contacts: number;
    phonesSeen: number;
    phonesInvalid: number;
    numbers: number;
    duplicatesMerged: number;
    excludedNumbers: number;
  } & Partial<Record<Platform, PlatformCounts>>;
  files: ManifestFile[];
}

export function isManifest(v: unknown): v is Manifest {
  const m = v as Manifest;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.format === FORMAT &&
    typeof m.buildId === 'string' &&
    typeof m.generatedAt === 'string' &&
    Array.isArray(m.files) &&
    typeof m.counts === 'object' &&
    typeof m.policy === 'object'
  );
}
