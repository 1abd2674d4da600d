import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZNoContent } from '../contracts/errors.ts';
import { ZIdParams, ZRowId } from '../contracts/ids.ts';
import { ZApiKeyCreated, ZApiKeyRow, ZRole, ZUserRow } from '../contracts/users.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { listUsers, updateUser } from './admin-users.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { createUser } from './users.ts';

const ZId = ZIdParams;

/** Người dùng & khóa API: administrators only. */
export function adminRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: administration'];
    r.addHook('onRequest', officerAuth(app, ['admin']));

    r.get('/api/users', { schema: { tags, response: { 200: z.array(ZUserRow) } } }, async (req) =>
      listUsers(app, actorOfRequest(req)),
    );
    r.post(
      '/api/users',
      {
        schema: {
          tags,
          body: z.object({
            username: z.string().max(64),
            fullName: z.string().max(300),
            role: ZRole,
            agencyId: ZRowId,
            password: z.string().max(200),
          }),
          response: { 201: ZUserRow },
        },
      },
      async (req, reply) => {
        const actor = actorOfRequest(req);
        const created = await createUser(app, actor, req.body);
        const users = await listUsers(app, actor);
        return reply.status(201).send(users.find((u) => u.id === created.id)!);
      },
    );
    r.patch(
      '/api/users/:id',
      {
        schema: {
          tags,
          params: ZId,
          body: z.object({
            fullName: z.string().max(300).optional(),
            role: ZRole.optional(),
            agencyId: ZRowId.optional(),
            disabled: z.boolean().optional(),
            password: z.string().max(200).optional(),
          }),
          response: { 200: ZUserRow },
        },
      },
      async (req) => updateUser(app, actorOfRequest(req), req.params.id, req.body),
    );

    r.get('/api/api-keys', { schema: { tags, response: { 200: z.array(ZApiKeyRow) } } }, async (req) =>
      listApiKeys(app, actorOfRequest(req)),
    );
    r.post(
      '/api/api-keys',
      {
        schema: {
          tags,
          body: z.object({ agencyId: ZRowId, name: z.string().min(1).max(200) }),
          response: { 201: ZApiKeyCreated },
        },
      },
      async (req, reply) => {
        const created = await createApiKey(app, actorOfRequest(req), req.body);
        return reply.status(201).send({ id: created.id, key: created.key });
      },
    );
    r.delete(
      '/api/api-keys/:id',
      { schema: { tags, params: ZId, response: { 204: ZNoContent } } },
      async (req, reply) => {
        await revokeApiKey(app, actorOfRequest(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
