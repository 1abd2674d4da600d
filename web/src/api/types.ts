import type { TDashboard } from '@contracts/dashboard.ts';
import type { TDossierView } from '@contracts/dossier-view.ts';
import type { TProcedureView } from '@contracts/procedures.ts';

export type { TDashboard, TDossierView, TProcedureView };

export type Role = 'admin' | 'desk_officer' | 'specialist' | 'leader' | 'viewer';

export interface Me {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  roleLabel: string;
  agency: { id: number; code: string; name: string };
  mustChangePassword: boolean;
  /** The province's Zalo OA as citizens find it ("Dịch vụ công tỉnh …"). */
  oaName: string;
}

export interface DossierPage {
  items: TDossierView[];
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

export interface JournalEntry {
  seq: number;
  at: string;
  action: string;
  fromStatus: number | null;
  toStatus: number;
  toStatusLabel: string;
  /** The history line in the citizen's words (the public timeline shows the same). */
  label: string;
  actorName: string;
  note: string;
  data: Record<string, unknown>;
}

export interface CalendarDay {
  date: string;
  working: boolean;
  reason: string;
  source: 'weekday' | 'weekend' | 'statutory' | 'exception' | 'official';
  lunar: string;
}

export interface Agency {
  id: number;
  code: string;
  name: string;
  parentName: string;
  communeCode: string | null;
  address: string;
  hotline: string;
}

export interface UserRow {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  roleLabel: string;
  agencyId: number;
  agencyName: string;
  disabled: boolean;
  createdAt: string;
}

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  agencyId: number;
  agencyName: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
