import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZPublicLookup } from './lookup.ts';

/** Every object in the schema, and whether it strips what it does not declare. */
function objects(schema: z.ZodType, path = 'answer'): { path: string; strips: boolean }[] {
  if (schema instanceof z.ZodObject) {
    return [
      { path, strips: schema.def.catchall === undefined },
      ...Object.entries(schema.shape).flatMap(([k, v]) => objects(v as z.ZodType, `${path}.${k}`)),
    ];
  }
  if (schema instanceof z.ZodArray) {
    return objects(schema.element as z.ZodType, `${path}[]`);
  }
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return objects(schema.unwrap() as z.ZodType, path);
  }
  return [];
}

/**
 * The public look-up's privacy rests on its serializer: whatever the view carries, only what ZPublicLookup
 * declares is sent (src/lookup/lookup.test.ts checks what each access level shows over HTTP).
 */
describe('public look-up contract', () => {
  it('strips undeclared fields at every level (no loose or passthrough object)', () => {
    const found = objects(ZPublicLookup);
    assert.ok(found.length >= 5, 'the walk reaches the nested objects');
    assert.deepEqual(
      found.filter((o) => !o.strips).map((o) => o.path),
      [],
    );
  });

  it('sends nothing the contract does not declare, even when the view has it', () => {
    const serialize = serializerCompiler({ schema: ZPublicLookup, method: 'GET', url: '/api/public/lookup' });
    const view = {
      access: 'public',
      code: 'H50.01-260309-0001',
      procedureName: 'Cấp bản sao',
      agency: { name: 'UBND', address: 'Số 1', hotline: '0232', phone: '0912345678' },
      status: 2,
      statusLabel: 'Đang xử lý',
      meaning: '',
      nextStep: '',
      receivedAt: '2026-03-09T02:00:00.000Z',
      appointmentDate: '2026-03-12',
      clockPaused: false,
      progress: null,
      finished: false,
      lastUpdate: '2026-03-09T02:00:00.000Z',
      history: [{ at: '2026-03-09T02:00:00.000Z', label: 'Được tiếp nhận', actorName: 'Cán bộ A' }],
      secondFactor: 'none',
      applicantIdNumber: '044090001234',
      phone: '84912345678',
    };
    const sent = serialize(view) as string;
    for (const secret of ['0912345678', '84912345678', '044090001234', 'Cán bộ A']) {
      assert.ok(!sent.includes(secret), `${secret} is not sent`);
    }
    assert.equal(JSON.parse(sent).code, view.code);
  });
});
