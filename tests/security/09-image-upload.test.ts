import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { imageSize } from '../../src/zalo-oa/oa-qr.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/** A valid grey PNG of any size, small on the wire (its rows are zeros, which deflate to almost nothing). */
function bigPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Item 9: the OA QR upload decoded an 8000 × 8000 PNG synchronously (the whole server froze for 6 s) and kept it
 * whole, so the public poster and QR image grew to 1.8 MB.
 */
describe('attack: a decompression bomb as the OA QR', () => {
  let t: LiveServer;
  let cookie: string;

  before(async () => {
    t = await startLiveServer();
    const { admin } = await deskFixture(t);
    cookie = await liveLogin(t.port, admin.username, admin.password);
  });
  after(() => t.close());

  const upload = (body: Buffer) =>
    request(t.port, '/api/zalo/oa-qr', {
      method: 'PUT',
      headers: { cookie, 'content-type': 'image/png' },
      body,
    });

  it('refuses an 8000 × 8000 PNG from its header, without decoding it', async () => {
    const bomb = bigPng(8000, 8000);
    assert.ok(bomb.length < 1024 * 1024, `${bomb.length} bytes: under the upload limit`);
    const res = await upload(bomb);
    assert.equal(res.status, 400, res.body);
    assert.match(res.json<{ userMessage: string }>().userMessage, /Ảnh quá lớn \(8000 × 8000/);
    assert.equal((await t.app.db.selectFrom('oa_qr_image').select('mime').execute()).length, 0);
  });

  it('stores a large accepted picture scaled down to at most 1024 pixels a side', async () => {
    const png = new PNG({ width: 1600, height: 1600 });
    png.data.fill(0xff);
    const res = await upload(PNG.sync.write(png));
    assert.equal(res.status, 204, res.body);
    const served = await new Promise<Buffer>((resolve, reject) => {
      void fetch(`${t.baseUrl}/qrcode/zalo-qrcode.jpg`)
        .then(async (r) => resolve(Buffer.from(await r.arrayBuffer())))
        .catch(reject);
    });
    const size = imageSize(served);
    assert.equal(size?.type, 'jpeg');
    assert.ok(size && size.width <= 1024 && size.height <= 1024, JSON.stringify(size));
  });
});
