import { z } from 'zod';
import { ROLES, type RoleName } from './statuses.ts';

/** Officers, their session and the API keys of connected systems (src/auth). */
export const ZRole = z.enum(Object.keys(ROLES) as [RoleName, ...RoleName[]]);
export type TRole = z.infer<typeof ZRole>;

/** The signed-in officer (login and GET /api/auth/me). */
export const ZMe = z.object({
  id: z.number().int(),
  username: z.string(),
  fullName: z.string(),
  role: ZRole,
  roleLabel: z.string(),
  agency: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  mustChangePassword: z.boolean(),
  oaName: z.string().describe('The province’s Zalo OA as citizens find it (“Dịch vụ công tỉnh …”)'),
});
export type TMe = z.infer<typeof ZMe>;

export const ZUserRow = z.object({
  id: z.number().int(),
  username: z.string(),
  fullName: z.string(),
  role: ZRole,
  roleLabel: z.string(),
  agencyId: z.number().int(),
  agencyName: z.string(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type TUserRow = z.infer<typeof ZUserRow>;

export const ZApiKeyRow = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  agencyId: z.number().int(),
  agencyName: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TApiKeyRow = z.infer<typeof ZApiKeyRow>;

export const ZApiKeyCreated = z.object({ id: z.number().int(), key: z.string().describe('Shown once') });
export type TApiKeyCreated = z.infer<typeof ZApiKeyCreated>;
