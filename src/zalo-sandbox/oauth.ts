import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { oauthError } from './errors.ts';
import { applyFault, refusedRefresh } from './faults.ts';
import { escapeHtml, page } from './html.ts';
import type { SandboxState } from './state.ts';

const CODE_TTL_MS = 10 * 60_000;

/**
 * OAuth v4 for Official Accounts (zalo-platform.md §1): the consent page with its "Cho phép" button, and the
 * token endpoint — form-encoded body, `secret_key` header, PKCE, single-use authorisation codes and refresh
 * tokens, errors with HTTP 200.
 */
export function oauthRoutes(
  state: SandboxState,
  prefix: string,
  redirectUri: () => string | null,
  guard?: preHandlerHookHandler,
) {
  // The consent page acts for the OA's administrator: the mounting app may require one to be signed in.
  const consent = guard ? { preHandler: guard } : {};
  return async (fastify: FastifyInstance) => {
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );

    fastify.get(`${prefix}/v4/oa/permission`, consent, async (request, reply) => {
      const q = request.query as Record<string, string | undefined>;
      state.count('oauth.permission', false);
      if (await applyFault(state, 'oauth.permission', reply)) {
        return reply;
      }
      const expected = redirectUri();
      const problem =
        q.app_id !== state.options.appId
          ? oauthError(
              -14002,
              'Invalid appId',
              'The app is not activated or you are not an app administrator',
            )
          : !q.redirect_uri || (expected !== null && q.redirect_uri !== expected)
            ? oauthError(
                -14003,
                'Invalid redirect uri',
                'redirect_uri differs from the callback URL set in the app',
              )
            : undefined;
      if (problem) {
        return reply
          .type('text/html; charset=utf-8')
          .send(
            page(
              'Lỗi xác thực',
              `<p class="error">${escapeHtml(`${problem.error} ${problem.error_name}`)}</p>`,
            ),
          );
      }
      const fields = ['redirect_uri', 'code_challenge', 'state']
        .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k] ?? '')}">`)
        .join('');
      return reply.type('text/html; charset=utf-8').send(
        page(
          'Cấp quyền cho ứng dụng',
          `<p>Ứng dụng <b>${escapeHtml(state.options.appId)}</b> yêu cầu quyền quản lý Official Account
           <b>${escapeHtml(state.options.oaName)}</b>: gửi tin nhắn, nhận sự kiện, đọc thông tin người quan tâm.</p>
           <form method="post" action="${prefix}/v4/oa/permission/allow">${fields}
             <button type="submit" name="decision" value="allow" class="primary">Cho phép</button>
             <button type="submit" name="decision" value="deny">Từ chối</button>
           </form>
           <p class="muted">Zalo sandbox — không có tài khoản Zalo thật nào tham gia.</p>`,
        ),
      );
    });

    fastify.post(
      `${prefix}/v4/oa/permission/allow`,
      { ...consent, config: { formPost: true } },
      async (request, reply) => {
        const b = (request.body ?? {}) as Record<string, string | undefined>;
        const target = new URL(b.redirect_uri ?? '');
        if (b.decision !== 'allow') {
          target.searchParams.set('error', 'access_denied');
        } else {
          const code = randomBytes(24).toString('base64url');
          state.authCodes.set(code, {
            codeChallenge: b.code_challenge || null,
            expiresAt: Date.now() + CODE_TTL_MS,
            used: false,
          });
          target.searchParams.set('code', code);
          target.searchParams.set('oa_id', state.options.oaId);
        }
        if (b.state) {
          target.searchParams.set('state', b.state);
        }
        return reply.redirect(target.toString(), 302);
      },
    );

    fastify.post(`${prefix}/v4/oa/access_token`, async (request, reply) => {
      if (await applyFault(state, 'oauth.access_token', reply)) {
        return reply;
      }
      const reject = (body: ReturnType<typeof oauthError>) => {
        state.count('oauth.access_token', true);
        return reply.send(body);
      };
      if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return reject(
          oauthError(-14001, 'Invalid request', 'The body must be application/x-www-form-urlencoded'),
        );
      }
      const b = (request.body ?? {}) as Record<string, string | undefined>;
      if (request.headers.secret_key !== state.options.appSecret) {
        return reject(oauthError(-14004, 'Invalid secret key', 'The secret_key header is missing or wrong'));
      }
      if (b.app_id !== state.options.appId) {
        return reject(oauthError(-14002, 'Invalid appId', 'app_id is unknown'));
      }
      const now = Date.now();
      if (b.grant_type === 'authorization_code') {
        const code = b.code ? state.authCodes.get(b.code) : undefined;
        if (!code || code.used || code.expiresAt <= now) {
          return reject(
            oauthError(-14005, 'Invalid authorization code', 'The code is unknown, used or expired'),
          );
        }
        code.used = true;
        if (code.codeChallenge) {
          const computed = b.code_verifier
            ? createHash('sha256').update(b.code_verifier).digest('base64url')
            : '';
          if (computed !== code.codeChallenge) {
            return reject(
              oauthError(-14006, 'Invalid code verifier', 'code_verifier does not match code_challenge'),
            );
          }
        }
        state.count('oauth.access_token', false);
        return reply.send(state.issueTokens(now));
      }
      if (b.grant_type === 'refresh_token') {
        const refresh = b.refresh_token ? state.refreshTokens.get(b.refresh_token) : undefined;
        if (!refresh || refresh.used || refresh.expiresAt <= now) {
          return reject(
            oauthError(
              -14014,
              'Invalid refresh token',
              'The refresh token is unknown, expired or was already used',
            ),
          );
        }
        refresh.used = true;
        const refused = refusedRefresh(state);
        if (refused) {
          return reject(refused);
        }
        state.count('oauth.access_token', false);
        return reply.send(state.issueTokens(now));
      }
      return reject(
        oauthError(-14001, 'Invalid request', 'grant_type must be authorization_code or refresh_token'),
      );
    });
  };
}
