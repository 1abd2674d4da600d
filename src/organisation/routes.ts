import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZIdParams } from '../contracts/ids.ts';
import {
  ZAgency,
  ZImportPreview,
  ZImportResult,
  ZProcedureUpdate,
  ZProcedureView,
} from '../contracts/procedures.ts';
import { invalid } from '../errors.ts';
import { actorOfRequest, apiKeyAuth, officerAuth } from '../http/auth.ts';
import { applyImport, previewImport } from './import-procedures.ts';
import { listAgencies, listProcedures, updateProcedure } from './procedures.ts';

/** The national catalogue's Excel export, sent as the request body. */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const IMPORT_LIMIT = 10 * 1024 * 1024;

function workbookBody(body: unknown): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw invalid(
      'file',
      `Send the .xlsx file as the body with Content-Type ${XLSX}`,
      'Vui lòng chọn tệp Excel (.xlsx) xuất từ Cơ sở dữ liệu quốc gia về thủ tục hành chính.',
    );
  }
  return body;
}

export function organisationRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: organisation'];
    r.get(
      '/api/procedures',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          querystring: z.object({ all: z.enum(['true', 'false']).optional() }),
          response: { 200: z.array(ZProcedureView) },
        },
      },
      async (req) => listProcedures(app, actorOfRequest(req), { all: req.query.all === 'true' }),
    );
    r.patch(
      '/api/procedures/:id',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: {
          tags,
          params: ZIdParams,
          body: ZProcedureUpdate,
          response: { 200: ZProcedureView },
        },
      },
      async (req) => updateProcedure(app, actorOfRequest(req), req.params.id, req.body),
    );
    fastify.addContentTypeParser(
      [XLSX, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const importSchema = <R extends z.ZodType>(summary: string, result: R) => ({
      tags,
      summary,
      response: { 200: result },
      description:
        'Body: the province’s procedure list as the national catalogue (csdl.dichvucong.gov.vn) exports it to ' +
        'Excel (.xlsx, ≤ 10 MB). Columns found by title: Mã thủ tục, Tên thủ tục, Lĩnh vực, Thời hạn giải ' +
        'quyết (required); Phí/Lệ phí, Thành phần hồ sơ, Cơ quan thực hiện, Cấp thực hiện (optional).',
    });
    r.post(
      '/api/procedures/import/preview',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: importSchema('What importing the file would change', ZImportPreview),
      },
      async (req) => previewImport(app, actorOfRequest(req), workbookBody(req.body)),
    );
    r.post(
      '/api/procedures/import',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: importSchema(
          'Import the file: all rows in one transaction, nothing if any row is invalid',
          ZImportResult,
        ),
      },
      async (req) => applyImport(app, actorOfRequest(req), workbookBody(req.body)),
    );
    r.get(
      '/api/agencies',
      { preHandler: officerAuth(app), schema: { tags, response: { 200: z.array(ZAgency) } } },
      async () => listAgencies(app),
    );
    r.get(
      '/api/v1/procedures',
      {
        preHandler: apiKeyAuth(app),
        schema: {
          tags: ['Integration API: procedures'],
          security: [{ apiKey: [] }],
          summary: 'Procedures received by the key’s agency',
          response: { 200: z.array(ZProcedureView) },
        },
      },
      async (req) => listProcedures(app, actorOfRequest(req)),
    );
  };
}
