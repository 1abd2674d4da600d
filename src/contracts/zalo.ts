import { z } from 'zod';
import { ZZaloConnectionHealth } from './operations.ts';

/** Page "Kết nối Zalo OA" (administrators): the connection, the OAuth flow and the template registry. */
export const ZZaloConnection = ZZaloConnectionHealth.extend({
  appId: z.string().nullable(),
  callbackUrl: z.string().describe('The OAuth callback to register on the Zalo app'),
});
export type TZaloConnection = z.infer<typeof ZZaloConnection>;

export const ZOAuthStart = z.object({
  url: z.string().describe('Where to send the administrator’s browser'),
});
export type TOAuthStart = z.infer<typeof ZOAuthStart>;

export const ZTemplateParam = z.object({
  name: z.string(),
  source: z.string().describe('Which fact of the status change fills it'),
  maxLength: z.number().int(),
  placeholder: z.string().optional().describe('Shown in place of an empty value ("—" when left out)'),
});

export const ZTemplateBinding = z.object({
  key: z.string().describe('status (default), status.<n> or action.<action>'),
  label: z.string().describe('What the key means, in Vietnamese'),
  templateId: z.string(),
  params: z.array(ZTemplateParam),
  updatedAt: z.string(),
});
export type TTemplateBinding = z.infer<typeof ZTemplateBinding>;

export const ZTemplateRegistry = z.object({
  bindings: z.array(ZTemplateBinding),
  sources: z.array(z.object({ key: z.string(), label: z.string() })),
});
export type TTemplateRegistry = z.infer<typeof ZTemplateRegistry>;

export const ZTemplateSaved = z.object({
  key: z.string(),
  templateId: z.string(),
  params: z.array(ZTemplateParam),
});

export const ZTemplatePreview = z.object({
  code: z.string(),
  key: z.string().nullable(),
  label: z.string().nullable(),
  templateId: z.string().nullable(),
  templateData: z.record(z.string(), z.string()).describe('What would be sent, each value shortened'),
  parameters: z.array(
    z.object({ name: z.string(), label: z.string(), value: z.string(), maxLength: z.number() }),
  ),
});
export type TTemplatePreview = z.infer<typeof ZTemplatePreview>;
