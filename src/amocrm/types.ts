/**
 * amoCRM API v4 record shapes as the server sends them (see shared amocrm-api.md §3–§7).
 * The sandbox imports these too: they are the wire contract, not our domain model.
 */
export interface ApiLink {
  href: string;
}

export interface ApiCustomFieldValue {
  value: string | number | boolean | null;
  enum_id?: number;
  enum_code?: string | null;
  /** Legacy fixtures use `enum` instead of `enum_code`. */
  enum?: string | null;
}

export interface ApiCustomField {
  field_id: number;
  field_name: string;
  field_code: string | null;
  field_type: string;
  values: ApiCustomFieldValue[];
}

export interface ApiTag {
  id: number;
  name: string;
  color: string | null;
}

export interface ApiContact {
  id: number;
  name: string;
  first_name: string;
  last_name: string;
  responsible_user_id: number;
  group_id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  closest_task_at: number | null;
  is_deleted: boolean;
  is_unsorted?: boolean;
  account_id: number;
  custom_fields_values: ApiCustomField[] | null;
  _links?: { self: ApiLink };
  _embedded?: { tags?: ApiTag[]; companies?: { id: number; _links?: { self: ApiLink } }[] };
}

export interface ApiCompany {
  id: number;
  name: string;
  responsible_user_id: number;
  group_id: number;
  created_at: number;
  updated_at: number;
  account_id: number;
  custom_fields_values: ApiCustomField[] | null;
  _embedded?: { tags?: ApiTag[] };
}

export type RightValue = 'A' | 'G' | 'M' | 'D' | 'L';

export interface ApiEntityRights {
  view: RightValue;
  edit: RightValue;
  add: RightValue;
  delete: RightValue;
  export: RightValue;
}

export interface ApiUser {
  id: number;
  name: string;
  email: string;
  lang: string;
  rights: {
    leads: ApiEntityRights;
    contacts: ApiEntityRights;
    companies: ApiEntityRights;
    tasks: { edit: RightValue; delete: RightValue };
    mail_access: boolean;
    catalog_access: boolean;
    is_admin: boolean;
    is_free: boolean;
    is_active: boolean;
    group_id: number | null;
    role_id: number | null;
  };
}

export interface ApiAccount {
  id: number;
  name: string;
  subdomain: string;
  current_user_id: number;
  country: string;
  currency: string;
  contact_name_display_order: 1 | 2;
  is_api_filter_enabled?: boolean;
  _links?: { self: ApiLink };
  _embedded?: { users_groups?: { id: number; name: string }[]; datetime_settings?: { timezone: string } };
}

export interface ApiEvent {
  id: string;
  type: string;
  entity_id: number;
  entity_type: string;
  created_by: number;
  created_at: number;
  value_after: unknown[];
  value_before: unknown[];
  account_id: number;
}

export interface ApiCustomFieldDef {
  id: number;
  name: string;
  code: string | null;
  type: string;
  enums: { id: number; value: string; enum_code?: string | null }[] | null;
}

export interface ApiTokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  refresh_token: string;
  server_time?: number;
}
