import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userIdOf } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { ZTemplatePreview, ZTemplateRegistry, ZTemplateSaved } from '../contracts/zalo.ts';
import { findDossierByCode } from '../dossiers/index.ts';
import { NotFound } from '../errors.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { recordAudit } from '../record-audit.ts';
import { bindingLabel, findBinding } from './bindings.ts';
import { queueMessagesAwaitingTemplate } from './plan-notifications.ts';
import { statusChangeFacts, templateData, VALUE_SOURCES } from './template-values.ts';

const ZBindingParam = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,50}$/),
  source: z.string().refine((s) => s in VALUE_SOURCES, 'unknown source'),
  maxLength: z.number().int().min(1).max(400),
  /** Shown in place of an empty value ("—" when left out). */
  placeholder: z.string().trim().min(1).max(50).optional(),
});

/**
 * The Zalo template registry, for administrators: which ZNS template each status change sends and how its
 * parameters are filled. Here beside the bindings rather than in src/zalo, so that the Zalo sender needs
 * nothing of notification planning (no import cycle); the URLs stay under /api/zalo.
 */
export function templateBindingRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: Zalo'];
    const admin = { preHandler: officerAuth(app, ['admin']) };

    r.get(
      '/api/zalo/templates',
      { ...admin, schema: { tags, response: { 200: ZTemplateRegistry } } },
      async () => ({
        bindings: (await app.db.selectFrom('zalo_template_binding').selectAll().orderBy('key').execute()).map(
          (b) => ({
            key: b.key,
            label: bindingLabel(b.key),
            templateId: b.template_id,
            params: b.params,
            updatedAt: new Date(b.updated_at).toISOString(),
          }),
        ),
        sources: Object.entries(VALUE_SOURCES).map(([key, s]) => ({ key, label: s.label })),
      }),
    );
    r.put(
      '/api/zalo/templates/:key',
      {
        ...admin,
        schema: {
          tags,
          params: z.object({
            key: z.string().regex(/^(status|rating|status\.\d{1,2}|action\.[a-z_]{1,40})$/),
          }),
          body: z.object({
            templateId: z.string().min(1).max(50),
            params: z.array(ZBindingParam).min(1).max(20),
          }),
          response: { 200: ZTemplateSaved },
        },
      },
      async (req) => {
        const actor = actorOfRequest(req);
        await app.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('zalo_template_binding')
            .values({
              key: req.params.key,
              template_id: req.body.templateId,
              params: JSON.stringify(req.body.params),
              updated_by: userIdOf(actor),
            })
            .onConflict((oc) =>
              oc.column('key').doUpdateSet({
                template_id: req.body.templateId,
                params: JSON.stringify(req.body.params),
                updated_at: app.clock(),
              }),
            )
            .execute();
          // Messages that waited for a template for this status go out now.
          const queuedMessages = await queueMessagesAwaitingTemplate(app, tx);
          await recordAudit(
            tx,
            actor,
            'zalo.template.set',
            { type: 'zalo_template_binding', id: req.params.key },
            { ...req.body, queuedMessages },
          );
        });
        return { key: req.params.key, ...req.body };
      },
    );
    /** What a dossier's current status would send: the template data, shortened to each parameter's length. */
    r.get(
      '/api/zalo/templates/preview',
      {
        ...admin,
        schema: {
          tags,
          querystring: z.object({ code: z.string().min(1).max(100) }),
          response: { 200: ZTemplatePreview },
        },
      },
      async (req) => {
        const actor = actorOfRequest(req);
        const d = await findDossierByCode(app.db, actor.agencyId, req.query.code);
        if (!d) {
          throw NotFound('dossier', req.query.code, 'Không tìm thấy hồ sơ.');
        }
        const last = await app.db
          .selectFrom('dossier_journal')
          .select(['action', 'to_status', 'data'])
          .where('dossier_id', '=', d.id)
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow();
        const binding = await findBinding(app.db, last.action, last.to_status);
        const facts = statusChangeFacts(d, last);
        const data = binding ? templateData(binding.params, facts) : {};
        const labels = Object.fromEntries(Object.entries(VALUE_SOURCES).map(([k, v]) => [k, v.label]));
        return {
          code: d.code,
          key: binding?.key ?? null,
          label: binding ? bindingLabel(binding.key) : null,
          templateId: binding?.templateId ?? null,
          templateData: data,
          /** The same values with what each one is, for the officer app. */
          parameters: (binding?.params ?? []).map((p) => ({
            name: p.name,
            label: labels[p.source] ?? p.source,
            value: data[p.name] ?? '',
            maxLength: p.maxLength,
          })),
        };
      },
    );
  };
}
