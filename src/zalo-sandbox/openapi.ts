import type { FastifyInstance } from 'fastify';
import { endpointKit } from './endpoint.ts';
import { ZaloErrors } from './errors.ts';
import { messageId, renderTemplate, type SandboxState, type ZaloUser } from './state.ts';
import { checkTemplateSend } from './templates.ts';

const CS_WINDOW_MS = 7 * 86_400_000;
const CS_TEXT_MAX = 2000;

/**
 * OA API v3 (openapi.zalo.me, zalo-platform.md §2): consultation messages inside the 7-day window, ZBS
 * template by user id, user detail and list, per-user quota, OA info. Header `access_token`; GET parameters
 * in one JSON `data` query parameter; ids and timestamps as strings.
 */
export function openApiRoutes(state: SandboxState, prefix: string) {
  return async (fastify: FastifyInstance) => {
    const { admitted, fail, ok } = endpointKit(state, (check) =>
      check === 'expired' ? ZaloErrors.oaTokenExpired : ZaloErrors.oaTokenInvalid,
    );
    const queryData = (query: unknown): Record<string, unknown> => {
      try {
        return JSON.parse(String((query as Record<string, string>).data ?? '{}')) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    const userById = (id: unknown): ZaloUser | undefined =>
      typeof id === 'string' ? state.users.get(id) : undefined;

    fastify.post(`${prefix}/v3.0/oa/message/cs`, async (request, reply) => {
      const endpoint = 'oa.message.cs';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      const b = (request.body ?? {}) as {
        recipient?: { user_id?: unknown };
        message?: { text?: unknown; attachment?: unknown };
      };
      const user = userById(b.recipient?.user_id);
      if (!user) {
        return fail(endpoint, reply, ZaloErrors.userNotFound);
      }
      const text = typeof b.message?.text === 'string' ? b.message.text : '';
      const buttons = extractButtons(b.message?.attachment);
      if ((!text && !buttons) || [...text].length > CS_TEXT_MAX || (buttons && buttons.length > 5)) {
        return fail(endpoint, reply, {
          ...ZaloErrors.paramsInvalid,
          message: `text must be 1–${CS_TEXT_MAX} characters, at most 5 buttons`,
        });
      }
      const now = Date.now();
      if (!user.lastInteractionAt || now - user.lastInteractionAt > CS_WINDOW_MS) {
        return fail(endpoint, reply, ZaloErrors.outsideWindow);
      }
      const msg = {
        msgId: messageId(),
        direction: 'oa_to_user' as const,
        kind: 'cs' as const,
        phone: user.phone,
        uid: user.uid,
        text,
        ...(buttons ? { buttons } : {}),
        sentAt: now,
        deliveredAt: now,
      };
      state.messages.push(msg);
      return ok(endpoint, reply, { message_id: msg.msgId, user_id: user.uid });
    });

    fastify.post(`${prefix}/v3.0/oa/message/template`, async (request, reply) => {
      const endpoint = 'oa.message.template';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      const b = (request.body ?? {}) as Record<string, unknown>;
      const user = userById(b.user_id);
      if (!user) {
        return fail(endpoint, reply, ZaloErrors.userNotFound);
      }
      const checked = checkTemplateSend(state, b.template_id, b.template_data);
      if (!checked.ok) {
        return fail(endpoint, reply, checked.error);
      }
      const now = Date.now();
      state.rollQuota(now);
      if (state.quota.usedToday >= state.quota.daily) {
        return fail(endpoint, reply, ZaloErrors.dailyLimit);
      }
      state.quota.usedToday++;
      const msg = {
        msgId: messageId(),
        direction: 'oa_to_user' as const,
        kind: 'zbs_uid' as const,
        phone: user.phone,
        uid: user.uid,
        text: renderTemplate(checked.template, checked.data),
        templateId: checked.template.id,
        templateData: checked.data,
        sentAt: now,
        deliveredAt: now,
      };
      state.messages.push(msg);
      return ok(endpoint, reply, {
        message_id: msg.msgId,
        user_id: user.uid,
        sent_time: String(now),
        quota: { quota_type: 'purchase_quota', remain: String(state.quota.daily - state.quota.usedToday) },
      });
    });

    fastify.get(`${prefix}/v3.0/oa/user/detail`, async (request, reply) => {
      const endpoint = 'oa.user.detail';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      const user = userById(queryData(request.query).user_id);
      if (!user) {
        return fail(endpoint, reply, ZaloErrors.userNotFound);
      }
      return ok(endpoint, reply, presentUser(user));
    });

    fastify.get(`${prefix}/v3.0/oa/user/getlist`, async (request, reply) => {
      const endpoint = 'oa.user.getlist';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      const q = queryData(request.query);
      const offset = Number(q.offset ?? 0);
      const count = Number(q.count ?? 50);
      if (
        !Number.isInteger(offset) ||
        !Number.isInteger(count) ||
        count < 1 ||
        count > 50 ||
        offset < 0 ||
        offset > 9951
      ) {
        return fail(endpoint, reply, ZaloErrors.paramsInvalid);
      }
      const followers = [...state.users.values()].filter((u) => u.follower);
      return ok(endpoint, reply, {
        total: followers.length,
        count: Math.min(count, Math.max(0, followers.length - offset)),
        offset,
        users: followers.slice(offset, offset + count).map((u) => ({ user_id: u.uid })),
      });
    });

    fastify.post(`${prefix}/v3.0/oa/quota/message`, async (request, reply) => {
      const endpoint = 'oa.quota.message';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      const user = userById((request.body as Record<string, unknown> | undefined)?.user_id);
      if (!user) {
        return fail(endpoint, reply, ZaloErrors.userNotFound);
      }
      return ok(endpoint, reply, {
        user_id: user.uid,
        last_interaction: user.lastInteractionAt ? String(user.lastInteractionAt) : null,
        promotion: { daily_remain: '0' },
      });
    });

    fastify.get(`${prefix}/v2.0/oa/getoa`, async (request, reply) => {
      const endpoint = 'oa.getoa';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      return ok(endpoint, reply, {
        oaid: state.options.oaId,
        name: state.options.oaName,
        is_verified: true,
        oa_type: 3,
        num_follower: [...state.users.values()].filter((u) => u.follower).length,
        package_name: 'Sandbox',
        linked_ZCA: true,
      });
    });
  };
}

function presentUser(u: ZaloUser) {
  const last = u.lastInteractionAt ? new Date(u.lastInteractionAt + 7 * 3_600_000) : null;
  return {
    user_id: u.uid,
    user_id_by_app: `app_${u.uid}`,
    display_name: u.name,
    user_alias: '',
    is_sensitive: false,
    user_is_follower: u.follower,
    // "DD/MM/YYYY", as Zalo returns it.
    user_last_interaction_date: last
      ? `${String(last.getUTCDate()).padStart(2, '0')}/${String(last.getUTCMonth() + 1).padStart(2, '0')}/${last.getUTCFullYear()}`
      : '',
    avatar: '',
    shared_info: u.phone ? { phone: u.phone, name: u.name } : undefined,
  };
}

function extractButtons(
  attachment: unknown,
): { title: string; type: string; payload: unknown }[] | undefined {
  const buttons = (attachment as { payload?: { buttons?: unknown } } | undefined)?.payload?.buttons;
  if (!Array.isArray(buttons)) {
    return undefined;
  }
  return buttons.map((b) => ({
    title: String((b as Record<string, unknown>).title ?? '').slice(0, 100),
    type: String((b as Record<string, unknown>).type ?? ''),
    payload: (b as Record<string, unknown>).payload,
  }));
}
