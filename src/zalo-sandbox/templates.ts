import { type ZaloError, ZaloErrors } from './errors.ts';
import { templateRefusal } from './faults.ts';
import type { SandboxState, Template } from './state.ts';
import { dispatchEvent } from './webhooks.ts';

/**
 * Checks `template_id` and `template_data` as ZBS does: the template exists and is approved (and not refused on
 * demand, faults.ts), the data is a non-empty object, every required parameter is present and not empty (-1122)
 * and no value exceeds its parameter's maximum length (-1121).
 */
export function checkTemplateSend(
  state: SandboxState,
  templateId: unknown,
  data: unknown,
): { ok: true; template: Template; data: Record<string, string> } | { ok: false; error: ZaloError } {
  const template = typeof templateId === 'string' ? state.templates.get(templateId) : undefined;
  if (!template) {
    return { ok: false, error: ZaloErrors.templateInvalid };
  }
  if (template.status !== 'ENABLE') {
    return { ok: false, error: ZaloErrors.templateNotApproved };
  }
  const refused = templateRefusal(state, template.id);
  if (refused) {
    return { ok: false, error: refused };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data) || Object.keys(data).length === 0) {
    return { ok: false, error: ZaloErrors.templateDataEmpty };
  }
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number') {
      return { ok: false, error: ZaloErrors.badFormat };
    }
    values[k] = String(v);
  }
  for (const p of template.params) {
    const value = values[p.name];
    if (p.require && (value === undefined || value.trim() === '')) {
      return {
        ok: false,
        error: { ...ZaloErrors.paramMissing, message: `${ZaloErrors.paramMissing.message}: ${p.name}` },
      };
    }
    if (value !== undefined && [...value].length > p.maxLength) {
      return {
        ok: false,
        error: {
          ...ZaloErrors.paramTooLong,
          message: `${ZaloErrors.paramTooLong.message}: ${p.name} (max ${p.maxLength})`,
        },
      };
    }
  }
  return { ok: true, template, data: values };
}

/**
 * An administrator of the sandbox changed a template's review status: Zalo's `change_template_status` webhook,
 * with the reason given (a rejection's reason is free Vietnamese text). A new template announces nothing: the
 * sandbox's templates are created already reviewed.
 */
export function announceTemplateStatus(
  state: SandboxState,
  template: Template,
  previous: Template['status'] | undefined,
  reason: string,
): void {
  if (previous === undefined || previous === template.status) {
    return;
  }
  dispatchEvent(
    state,
    {
      event_name: 'change_template_status',
      oa_id: state.options.oaId,
      template_id: template.id,
      status: { prev_status: previous, new_status: template.status },
      reason,
    },
    'ZNS',
  );
}

/** The OA's daily quota was changed: Zalo's `change_oa_daily_quota` webhook (its OA id is camel case). */
export function announceDailyQuota(state: SandboxState, previous: number): void {
  if (previous === state.quota.daily) {
    return;
  }
  dispatchEvent(
    state,
    {
      event_name: 'change_oa_daily_quota',
      oaId: state.options.oaId,
      quota: { prev_value: previous, new_value: state.quota.daily },
    },
    'ZNS',
  );
}
