import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { normalisePhone } from '../contracts/phone.ts';
import { NotFound } from '../errors.ts';
import { authHook, officerAuth } from './auth.ts';

/**
 * The built-in sandbox's phone simulator, scoped as everything else is: a signed-in officer may open a phone's
 * thread (and act as that citizen) unless the number belongs to a dossier of another agency, whose messages
 * are not theirs to read. A number on no dossier is a test phone anyone may use. Development only.
 */
export function sandboxPhoneAccess(app: AppContext) {
  const signedIn = officerAuth(app);
  return authHook(async (request: FastifyRequest, reply: FastifyReply) => {
    await signedIn(request, reply);
    const given = (request.params as { phone?: string }).phone;
    const phone = given === undefined ? undefined : normalisePhone(given);
    if (!phone?.ok) {
      return;
    }
    const elsewhere = await app.db
      .selectFrom('dossier')
      .select('id')
      .where('phone', '=', phone.stored)
      .where('agency_id', '!=', request.actor!.agencyId)
      .limit(1)
      .executeTakeFirst();
    if (elsewhere) {
      throw NotFound('phone', 'in the sandbox', 'Số điện thoại này thuộc hồ sơ của cơ quan khác.');
    }
  });
}
