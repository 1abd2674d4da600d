import jpeg from 'jpeg-js';
import type { Transaction } from 'kysely';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import type { AppContext } from '../app-context.ts';
import { vnDateOf } from '../calendar/dates.ts';
import { formatDossierCode } from '../contracts/dossier-code.ts';
import type { Queryable } from '../db/pool.ts';
import type { DB } from '../db/schema.ts';
import { invalid } from '../errors.ts';
import { oaNameOf } from '../forms/form-data.ts';

/**
 * The OA's QR code as a JPEG (`/qrcode/zalo-qrcode.jpg`, the file name citizens and printed guides know):
 * the image an administrator uploaded from OA Manager, or one generated from the OA link https://zalo.me/<OA id>
 * (the phone simulator's address with the built-in sandbox).
 */
export interface SiteInfo {
  oaName: string;
  oaLink: string;
  provinceName: string;
  /**
   * A code in this province's own shape for the examples citizens read ("000.00.01.H50-261126-0001"): the
   * first agency's identifier and today's date, so it looks like the receipt in their hand.
   */
  exampleCode: string;
}

let siteCache: { at: number; info: SiteInfo; db: unknown } | undefined;

/** The province and its OA, kept a minute per node: they change once in a province's life. */
export async function siteInfo(app: AppContext): Promise<SiteInfo> {
  if (siteCache && siteCache.db === app.db && Date.now() - siteCache.at < 60_000) {
    return siteCache.info;
  }
  const [province, agency] = await Promise.all([
    app.db.selectFrom('province').select('name').orderBy('code').executeTakeFirst(),
    app.db.selectFrom('agency').select('code').orderBy('code').executeTakeFirst(),
  ]);
  const provinceName = province?.name ?? '';
  const info = {
    provinceName,
    oaName: provinceName ? oaNameOf(provinceName) : 'Dịch vụ công',
    // With the built-in sandbox there is no real OA to follow: the link, the QR and the poster open the phone
    // simulator, where the sandbox's OA is.
    oaLink: app.config.zalo.sandbox
      ? `${app.config.http.publicBaseUrl}/sandbox/phone`
      : `https://zalo.me/${app.config.zalo.oaId ?? ''}`,
    exampleCode: formatDossierCode(agency?.code ?? '000.00.01.H00', vnDateOf(app.clock()), 1),
  };
  siteCache = { at: Date.now(), info, db: app.db };
  return info;
}

/** A QR code drawn as a white-bordered JPEG, `scale` pixels per module. */
export function qrJpeg(text: string, scale = 8, margin = 4): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const size = (n + 2 * margin) * scale;
  const rgba = Buffer.alloc(size * size * 4, 0xff);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (!qr.modules.get(y, x)) {
        continue;
      }
      for (let dy = 0; dy < scale; dy++) {
        const row = ((y + margin) * scale + dy) * size;
        for (let dx = 0; dx < scale; dx++) {
          rgba.fill(0, (row + (x + margin) * scale + dx) * 4, (row + (x + margin) * scale + dx) * 4 + 3);
        }
      }
    }
  }
  return jpeg.encode({ data: rgba, width: size, height: size }, 95).data;
}

let generated: { link: string; jpg: Buffer } | undefined;

export async function oaQrJpeg(app: AppContext): Promise<Buffer> {
  const uploaded = await app.db.selectFrom('oa_qr_image').select('data').executeTakeFirst();
  if (uploaded) {
    return uploaded.data;
  }
  const { oaLink } = await siteInfo(app);
  if (generated?.link !== oaLink) {
    generated = { link: oaLink, jpg: qrJpeg(oaLink) };
  }
  return generated.jpg;
}

const MAX_UPLOAD = 1024 * 1024;

/** Stores an uploaded OA QR (JPEG or PNG, at most 1 MB, as Zalo's own limit), converted to JPEG. */
export async function storeOaQrImage(
  db: Transaction<DB>,
  data: Buffer,
  userId: number | null,
): Promise<void> {
  if (data.length === 0 || data.length > MAX_UPLOAD) {
    throw invalid('image', 'The image must be 1 byte to 1 MB', 'Ảnh phải có dung lượng từ 1 byte đến 1 MB.');
  }
  let jpg: Buffer;
  try {
    if (data[0] === 0xff && data[1] === 0xd8) {
      jpeg.decode(data, { maxMemoryUsageInMB: 64 });
      jpg = data;
    } else if (data.subarray(1, 4).toString('latin1') === 'PNG') {
      const png = PNG.sync.read(data);
      jpg = jpeg.encode({ data: png.data, width: png.width, height: png.height }, 95).data;
    } else {
      throw new Error('not an image');
    }
  } catch {
    throw invalid('image', 'Expected a JPEG or PNG image', 'Tệp tải lên phải là ảnh JPEG hoặc PNG.');
  }
  await db.deleteFrom('oa_qr_image').execute();
  await db.insertInto('oa_qr_image').values({ mime: 'image/jpeg', data: jpg, uploaded_by: userId }).execute();
}

export async function removeOaQrImage(db: Queryable): Promise<void> {
  await db.deleteFrom('oa_qr_image').execute();
}
