import type { FastifyInstance } from 'fastify';
import { endpointKit } from './endpoint.ts';
import { ZaloErrors } from './errors.ts';
import { zaloPhone } from './phone.ts';
import { messageId, renderTemplate, type SandboxMessage, type SandboxState } from './state.ts';
import { checkTemplateSend } from './templates.ts';
import { dispatchEvent } from './webhooks.ts';

const TRACKING_ID_MAX = 48;

/**
 * ZBS Template Message by phone (business.openapi.zalo.me, zalo-platform.md §3): send, template info and
 * list, quota, message status. Header `access_token`; every error is HTTP 200 with `error != 0`.
 */
export function businessRoutes(state: SandboxState, prefix: string) {
  return async (fastify: FastifyInstance) => {
    const { admitted, fail } = endpointKit(state, () => ZaloErrors.zbsTokenInvalid);

    fastify.post(`${prefix}/message/template`, async (request, reply) => {
      const endpoint = 'zbs.message.template';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      const b = (request.body ?? {}) as Record<string, unknown>;
      const phone = zaloPhone(b.phone);
      if (!phone) {
        return fail(endpoint, reply, ZaloErrors.phoneInvalid);
      }
      const checked = checkTemplateSend(state, b.template_id, b.template_data);
      if (!checked.ok) {
        return fail(endpoint, reply, checked.error);
      }
      if (
        typeof b.tracking_id !== 'string' ||
        b.tracking_id === '' ||
        b.tracking_id.length > TRACKING_ID_MAX
      ) {
        return fail(endpoint, reply, {
          ...ZaloErrors.badFormat,
          message: `tracking_id must be 1–${TRACKING_ID_MAX} characters`,
        });
      }
      const user = state.userByPhone(phone);
      if (!user) {
        return fail(endpoint, reply, ZaloErrors.noZaloAccount);
      }
      if (b.mode === 'development' && !user.admin) {
        return fail(endpoint, reply, ZaloErrors.devModeNotAdmin);
      }
      const now = Date.now();
      state.rollQuota(now);
      if (state.quota.usedToday >= state.quota.daily) {
        return fail(endpoint, reply, ZaloErrors.dailyLimit);
      }
      if (state.quota.balanceVnd < state.options.pricePerMessageVnd) {
        return fail(endpoint, reply, ZaloErrors.outOfBalance);
      }
      state.quota.usedToday++;
      state.quota.balanceVnd -= state.options.pricePerMessageVnd;
      const msg: SandboxMessage = {
        msgId: messageId(),
        direction: 'oa_to_user' as const,
        kind: 'zbs_phone' as const,
        phone,
        uid: user.uid,
        text: renderTemplate(checked.template, checked.data),
        templateId: checked.template.id,
        templateData: checked.data,
        trackingId: b.tracking_id,
        sentAt: now,
        deliveredAt: null as number | null,
        // A type-5 template ("đánh giá dịch vụ") shows stars the citizen can tap (citizen.ts rateMessage).
        ...(checked.template.type === 5
          ? { rating: { options: checked.template.ratingOptions ?? [], submitted: null } }
          : {}),
      };
      state.messages.push(msg);
      state.count(endpoint, false);
      setTimeout(() => {
        msg.deliveredAt = Date.now();
        dispatchEvent(
          state,
          {
            event_name: 'user_received_message',
            sender: { id: state.options.oaId },
            recipient: { id: phone },
            message: {
              delivery_time: String(msg.deliveredAt),
              msg_id: msg.msgId,
              tracking_id: msg.trackingId,
            },
          },
          'ZNS',
        );
      }, state.options.receiptDelayMs).unref();
      return reply.send({
        error: 0,
        message: 'Success',
        data: {
          msg_id: msg.msgId,
          sent_time: String(now),
          sending_mode: '1',
          quota: {
            dailyQuota: String(state.quota.daily),
            remainingQuota: String(state.quota.daily - state.quota.usedToday),
          },
        },
      });
    });

    fastify.get(`${prefix}/template/info/v2`, async (request, reply) => {
      const endpoint = 'zbs.template.info';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      const t = state.templates.get(String((request.query as Record<string, string>).template_id ?? ''));
      if (!t) {
        return fail(endpoint, reply, ZaloErrors.templateInvalid);
      }
      state.count(endpoint, false);
      return reply.send({
        error: 0,
        message: 'Success',
        data: {
          templateId: t.id,
          templateName: t.name,
          status: t.status,
          templateTag: String(t.tag),
          listParams: t.params.map((p) => ({
            name: p.name,
            require: p.require,
            type: p.type,
            maxLength: p.maxLength,
            minLength: 0,
            acceptNull: !p.require,
          })),
          listButtons: [],
          templateQuality: 'HIGH',
          price_sdt: String(state.options.pricePerMessageVnd),
          price_uid: String(Math.round(state.options.pricePerMessageVnd * 0.7)),
          previewContent: t.body,
        },
      });
    });

    fastify.get(`${prefix}/template/all`, async (request, reply) => {
      const endpoint = 'zbs.template.all';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      state.count(endpoint, false);
      return reply.send({
        error: 0,
        message: 'Success',
        data: [...state.templates.values()].map((t) => ({
          templateId: t.id,
          templateName: t.name,
          status: t.status,
        })),
        metadata: { total: state.templates.size },
      });
    });

    fastify.get(`${prefix}/message/quota`, async (request, reply) => {
      const endpoint = 'zbs.message.quota';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      state.rollQuota(Date.now());
      state.count(endpoint, false);
      return reply.send({
        error: 0,
        message: 'Success',
        data: {
          dailyQuota: String(state.quota.daily),
          remainingQuota: String(state.quota.daily - state.quota.usedToday),
        },
      });
    });

    fastify.get(`${prefix}/message/status`, async (request, reply) => {
      const endpoint = 'zbs.message.status';
      if (!(await admitted(endpoint, request, reply))) {
        return reply;
      }
      const id = String((request.query as Record<string, string>).message_id ?? '');
      const msg = state.messages.find((m) => m.msgId === id && m.kind === 'zbs_phone');
      state.count(endpoint, false);
      return reply.send({
        error: 0,
        message: 'Success',
        data: msg
          ? {
              status: msg.deliveredAt ? 1 : 0,
              delivery_time: msg.deliveredAt ? String(msg.deliveredAt) : null,
            }
          : { status: -1 },
      });
    });
  };
}
