import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { CitizenActionError, follow, rateMessage, sendToOa, thread, unfollow } from './citizen.ts';
import { updateRefusals } from './faults.ts';
import { zaloPhone } from './phone.ts';
import {
  type EndpointKey,
  type Fault,
  type SandboxOptions,
  SandboxState,
  type Template,
  TYPE_MAX_LENGTH,
} from './state.ts';
import { announceDailyQuota, announceTemplateStatus } from './templates.ts';

/** An error of the sandbox's own API, answered with its status and (Vietnamese) message. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ENDPOINTS: EndpointKey[] = [
  'oauth.permission',
  'oauth.access_token',
  'oa.message.cs',
  'oa.message.template',
  'oa.user.detail',
  'oa.user.getlist',
  'oa.quota.message',
  'oa.getoa',
  'zbs.message.template',
  'zbs.template.info',
  'zbs.template.all',
  'zbs.message.quota',
  'zbs.message.status',
];

/**
 * The sandbox's own API: the phone simulator's actions (`/sandbox/api/phones/…`, for signed-in officers) and
 * the administration of the emulated platform (`/sandbox/api/…`: users, templates, quota, faults, counters).
 */
export function sandboxApiRoutes(
  holder: { state: SandboxState; initial: Partial<SandboxOptions> },
  guards: { phone?: preHandlerHookHandler; admin?: preHandlerHookHandler },
) {
  return async (fastify: FastifyInstance) => {
    const phoneGuard = guards.phone ? { preHandler: guards.phone } : {};
    const adminGuard = guards.admin ? { preHandler: guards.admin } : {};
    const state = () => holder.state;
    const phoneParam = (params: unknown) => {
      const phone = zaloPhone((params as { phone: string }).phone);
      if (!phone) {
        throw new SandboxHttpError(400, 'Số điện thoại di động không hợp lệ.');
      }
      return phone;
    };
    const citizen = <T>(fn: () => T) => {
      try {
        return fn();
      } catch (err) {
        if (err instanceof CitizenActionError) {
          throw new SandboxHttpError(409, err.message);
        }
        throw err;
      }
    };

    fastify.get('/sandbox/api/phones/:phone', phoneGuard, async (request) => {
      const t = thread(state(), phoneParam(request.params));
      return {
        phone: phoneParam(request.params),
        onZalo: t.onZalo,
        follower: t.user?.follower ?? false,
        uid: t.user?.uid ?? null,
        oaName: state().options.oaName,
        oaId: state().options.oaId,
        messages: t.messages,
      };
    });
    fastify.post('/sandbox/api/phones/:phone/follow', phoneGuard, async (request) =>
      citizen(() =>
        follow(
          state(),
          phoneParam(request.params),
          String((request.body as { source?: string } | undefined)?.source ?? 'oa_profile'),
        ),
      ),
    );
    fastify.post('/sandbox/api/phones/:phone/unfollow', phoneGuard, async (request) =>
      citizen(() => unfollow(state(), phoneParam(request.params))),
    );
    fastify.post('/sandbox/api/phones/:phone/messages', phoneGuard, async (request) => {
      const b = (request.body ?? {}) as { text?: unknown; imageUrl?: unknown };
      const text = typeof b.text === 'string' ? b.text.slice(0, 2000) : undefined;
      const imageUrl = typeof b.imageUrl === 'string' ? b.imageUrl : undefined;
      if (!text?.trim() && !imageUrl) {
        throw new SandboxHttpError(400, 'Tin nhắn trống.');
      }
      const hidden = (request.body as { hidden?: unknown } | undefined)?.hidden === true;
      return citizen(() => sendToOa(state(), phoneParam(request.params), { text, imageUrl, hidden }));
    });
    fastify.post('/sandbox/api/phones/:phone/messages/:msgId/feedback', phoneGuard, async (request) => {
      const b = (request.body ?? {}) as { rate?: unknown; feedbacks?: unknown; note?: unknown };
      const msgId = String((request.params as { msgId: string }).msgId).slice(0, 64);
      const feedbacks = Array.isArray(b.feedbacks)
        ? b.feedbacks.filter((f): f is string => typeof f === 'string').slice(0, 10)
        : [];
      return citizen(() =>
        rateMessage(state(), phoneParam(request.params), msgId, {
          rate: Number(b.rate),
          feedbacks,
          note: typeof b.note === 'string' ? b.note : '',
        }),
      );
    });
    fastify.put('/sandbox/api/phones/:phone', phoneGuard, async (request) => {
      const phone = phoneParam(request.params);
      const b = (request.body ?? {}) as { onZalo?: unknown; admin?: unknown; name?: unknown };
      state().phones.set(phone, { onZalo: b.onZalo !== false });
      const user = [...state().users.values()].find((u) => u.phone === phone);
      if (user) {
        if (typeof b.admin === 'boolean') {
          user.admin = b.admin;
        }
        if (typeof b.name === 'string' && b.name.trim()) {
          user.name = b.name.trim().slice(0, 50);
        }
      } else if (b.onZalo !== false && (typeof b.admin === 'boolean' || typeof b.name === 'string')) {
        const created = state().userByPhone(phone);
        if (created) {
          created.admin = b.admin === true;
          created.name =
            typeof b.name === 'string' && b.name.trim() ? b.name.trim().slice(0, 50) : created.name;
        }
      }
      return { phone, onZalo: state().isOnZalo(phone) };
    });
    /** "Scan" a QR: from an uploaded photo or PDF (base64), or a pasted URL. Returns what Zalo would open. */
    fastify.post('/sandbox/api/scan', { ...phoneGuard, bodyLimit: 8 * 1024 * 1024 }, async (request) => {
      const b = (request.body ?? {}) as { url?: unknown; fileBase64?: unknown; mime?: unknown };
      if (typeof b.url === 'string' && b.url.trim()) {
        return { target: b.url.trim() };
      }
      if (typeof b.fileBase64 !== 'string') {
        throw new SandboxHttpError(400, 'Chọn ảnh hoặc tệp PDF có mã QR.');
      }
      // The decoders (jsqr, pdf.js) are loaded at the first scan, never by a node that does not scan.
      const { qrCodesInFile } = await import('./qr.ts');
      const codes = await qrCodesInFile(Buffer.from(b.fileBase64, 'base64'), String(b.mime ?? '')).catch(
        () => [],
      );
      if (codes.length === 0) {
        throw new SandboxHttpError(422, 'Không tìm thấy mã QR trong tệp.');
      }
      return { target: codes[0] };
    });

    fastify.get('/sandbox/api/state', adminGuard, async () => {
      const s = state();
      return {
        oa: {
          appId: s.options.appId,
          oaId: s.options.oaId,
          oaName: s.options.oaName,
          webhookUrl: s.options.webhookUrl,
        },
        options: {
          accessTokenTtlSeconds: s.options.accessTokenTtlSeconds,
          receiptDelayMs: s.options.receiptDelayMs,
          timeScale: s.options.timeScale,
          unknownPhonesOnZalo: s.options.unknownPhonesOnZalo,
        },
        quota: s.quota,
        counters: Object.fromEntries(s.counters),
        faults: Object.fromEntries(s.faults),
        refusals: { refresh: s.refusals.refresh, templates: Object.fromEntries(s.refusals.templates) },
        templates: [...s.templates.values()],
        users: [...s.users.values()],
        phones: Object.fromEntries(s.phones),
        messages: s.messages.length,
        webhooks: s.webhooks.slice(-50),
        endpoints: ENDPOINTS,
      };
    });
    /** Every message the OA sent, for tests and audits of the emulator (no bodies of citizens' messages). */
    fastify.get('/sandbox/api/messages', adminGuard, async () =>
      state()
        .messages.filter((m) => m.direction === 'oa_to_user')
        .map((m) => ({
          msgId: m.msgId,
          kind: m.kind,
          phone: m.phone,
          uid: m.uid,
          trackingId: m.trackingId ?? null,
          templateId: m.templateId ?? null,
          sentAt: m.sentAt,
          deliveredAt: m.deliveredAt,
        })),
    );
    fastify.put('/sandbox/api/faults/:endpoint', adminGuard, async (request) => {
      const endpoint = (request.params as { endpoint: string }).endpoint as EndpointKey;
      if (!ENDPOINTS.includes(endpoint)) {
        throw new SandboxHttpError(404, `Unknown endpoint ${endpoint}`);
      }
      const b = (request.body ?? {}) as Fault;
      const fault: Fault = {};
      for (const k of ['latencyMs', 'errorCode', 'remaining', 'percent'] as const) {
        if (typeof b[k] === 'number') {
          fault[k] = b[k];
        }
      }
      for (const k of ['http500', 'drop', 'expiredToken'] as const) {
        if (b[k] === true) {
          fault[k] = true;
        }
      }
      state().faults.set(endpoint, fault);
      return { endpoint, fault };
    });
    fastify.delete('/sandbox/api/faults', adminGuard, async () => {
      state().faults.clear();
      return { cleared: true };
    });
    /** Zalo saying no for good: `{ refresh?: boolean, templates?: { "<id>": <code> | null } }`. */
    fastify.put('/sandbox/api/refusals', adminGuard, async (request) =>
      updateRefusals(state(), request.body),
    );
    fastify.put('/sandbox/api/templates/:id', adminGuard, async (request) => {
      const id = (request.params as { id: string }).id;
      const b = (request.body ?? {}) as Partial<Template> & { reason?: unknown };
      const template: Template = {
        id,
        name: String(b.name ?? id),
        status: b.status ?? 'ENABLE',
        tag: b.tag ?? 1,
        params: (b.params ?? []).map((p) => ({
          name: String(p.name),
          type: p.type,
          maxLength: p.maxLength ?? TYPE_MAX_LENGTH[p.type] ?? 30,
          require: p.require !== false,
        })),
        body: String(b.body ?? ''),
      };
      const previous = state().templates.get(id)?.status;
      state().templates.set(id, template);
      announceTemplateStatus(state(), template, previous, typeof b.reason === 'string' ? b.reason : '');
      return template;
    });
    fastify.put('/sandbox/api/quota', adminGuard, async (request) => {
      const previous = state().quota.daily;
      const quota = patchFields(state().quota, request.body, {
        daily: 'number',
        balanceVnd: 'number',
        usedToday: 'number',
      });
      announceDailyQuota(state(), previous);
      return quota;
    });
    fastify.patch('/sandbox/api/options', adminGuard, async (request) =>
      patchFields(state().options, request.body, {
        accessTokenTtlSeconds: 'number',
        receiptDelayMs: 'number',
        timeScale: 'number',
        unknownPhonesOnZalo: 'boolean',
        webhookUrl: 'string',
      }),
    );
    /** The API Explorer shortcut: a token pair without the consent round trip. */
    fastify.post('/sandbox/api/tokens', adminGuard, async () => state().issueTokens(Date.now()));
    fastify.post('/sandbox/api/reset', adminGuard, async () => {
      holder.state = new SandboxState(holder.initial);
      return { reset: true };
    });
  };
}

/**
 * Copies onto `target` the fields of an admin request's body that have the expected type (a string field
 * also takes null); anything else is ignored, as the emulator's settings page sends partial objects.
 */
function patchFields<T extends object>(
  target: T,
  body: unknown,
  types: Partial<Record<keyof T, 'number' | 'boolean' | 'string'>>,
): T {
  const b = (body ?? {}) as Record<string, unknown>;
  for (const [field, type] of Object.entries(types) as [keyof T & string, string][]) {
    const value = b[field];
    if (typeof value === type || (type === 'string' && value === null)) {
      (target as Record<string, unknown>)[field] = value;
    }
  }
  return target;
}
