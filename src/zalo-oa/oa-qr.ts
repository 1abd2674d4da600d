import jpeg from 'jpeg-js';
import type { Transaction } from 'kysely';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import type { AppContext } from '../app-context.ts';
import { vnDateOf } from '../calendar/index.ts';
import { formatDossierCode } from '../contracts/dossier-code.ts';
import type { Queryable } from '../db/pool.ts';
import type { DB } from '../db/schema.ts';
import { invalid } from '../errors.ts';

/**
 * The OA's QR code as a JPEG (`/qrcode/zalo-qrcode.jpg`, the file name citizens and printed guides know):
 * the image an administrator uploaded from OA Manager, or one generated from the OA link https://zalo.me/<OA id>
 * (the phone simulator's address with the built-in sandbox).
 */
/** "Tỉnh Quảng Trị" → "Dịch vụ công tỉnh Quảng Trị", the OA name citizens search for. */
export function oaNameOf(provinceName: string): string {
  return `Dịch vụ công ${provinceName.replace(/^Tỉnh /, 'tỉnh ').replace(/^Thành phố /, 'thành phố ')}`;
}

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

/** This app's copy of the site's facts and of the generated OA QR. */
function oaQrCache(): {
  site?: { at: number; info: SiteInfo; db: unknown };
  generated?: { link: string; jpg: Buffer };
} {
  return {};
}

/** The province and its OA, kept a minute per node: they change once in a province's life. */
export async function siteInfo(app: AppContext): Promise<SiteInfo> {
  const cache = app.caches.of(oaQrCache);
  const now = app.clock().getTime();
  // The db check: a test app that swaps its database (`{ ...app, db }`) shares the caches object.
  if (cache.site && cache.site.db === app.db && Math.abs(now - cache.site.at) < 60_000) {
    return cache.site.info;
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
  cache.site = { at: now, info, db: app.db };
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

export async function oaQrJpeg(app: AppContext): Promise<Buffer> {
  const uploaded = await app.db.selectFrom('oa_qr_image').select('data').executeTakeFirst();
  if (uploaded) {
    return uploaded.data;
  }
  const { oaLink } = await siteInfo(app);
  const cache = app.caches.of(oaQrCache);
  if (cache.generated?.link !== oaLink) {
    cache.generated = { link: oaLink, jpg: qrJpeg(oaLink) };
  }
  return cache.generated.jpg;
}

const MAX_UPLOAD = 1024 * 1024;
/** Larger pictures are refused before they are decoded: decoding is synchronous and takes width × height × 4 bytes. */
export const OA_QR_MAX_SIDE = 2048;
/** What is stored and printed: a QR needs no more (the poster prints it 250 pt wide). */
export const OA_QR_STORED_SIDE = 1024;

/**
 * Stores an uploaded OA QR (JPEG or PNG, at most 1 MB, as Zalo's own limit) as a JPEG of at most
 * OA_QR_STORED_SIDE pixels a side. The dimensions are read from the file's header first, and a picture over
 * OA_QR_MAX_SIDE is refused without being decoded (an 8000 × 8000 PNG froze the server for 6 s).
 */
export async function storeOaQrImage(
  db: Transaction<DB>,
  data: Buffer,
  userId: number | null,
): Promise<void> {
  if (data.length === 0 || data.length > MAX_UPLOAD) {
    throw invalid('image', 'The image must be 1 byte to 1 MB', 'Ảnh phải có dung lượng từ 1 byte đến 1 MB.');
  }
  const size = imageSize(data);
  if (!size) {
    throw invalid('image', 'Expected a JPEG or PNG image', 'Tệp tải lên phải là ảnh JPEG hoặc PNG.');
  }
  if (size.width > OA_QR_MAX_SIDE || size.height > OA_QR_MAX_SIDE) {
    throw invalid(
      'image',
      `The image is ${size.width} × ${size.height} pixels; at most ${OA_QR_MAX_SIDE} × ${OA_QR_MAX_SIDE}`,
      `Ảnh quá lớn (${size.width} × ${size.height} điểm ảnh). Vui lòng dùng ảnh tối đa ${OA_QR_MAX_SIDE} × ${OA_QR_MAX_SIDE}.`,
    );
  }
  let jpg: Buffer;
  try {
    const pixels =
      size.type === 'jpeg'
        ? jpeg.decode(data, { useTArray: true, maxMemoryUsageInMB: 64, maxResolutionInMP: 5 })
        : PNG.sync.read(data);
    const fitted = fitWithin({ data: Buffer.from(pixels.data), width: pixels.width, height: pixels.height });
    jpg =
      fitted.width === pixels.width && size.type === 'jpeg'
        ? data
        : Buffer.from(jpeg.encode(fitted, 90).data);
  } catch {
    throw invalid('image', 'Expected a JPEG or PNG image', 'Tệp tải lên phải là ảnh JPEG hoặc PNG.');
  }
  await db.deleteFrom('oa_qr_image').execute();
  await db.insertInto('oa_qr_image').values({ mime: 'image/jpeg', data: jpg, uploaded_by: userId }).execute();
}

/** Width and height from a PNG's IHDR or a JPEG's start-of-frame marker, without decoding anything. */
export function imageSize(data: Buffer): { type: 'png' | 'jpeg'; width: number; height: number } | undefined {
  if (
    data.length >= 24 &&
    data.subarray(1, 4).toString('latin1') === 'PNG' &&
    data.subarray(12, 16).toString('latin1') === 'IHDR'
  ) {
    return { type: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data[0] !== 0xff || data[1] !== 0xd8) {
    return undefined;
  }
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) {
      return undefined;
    }
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // SOF0–SOF15 carry the frame size; C4 (Huffman tables), C8 and CC (arithmetic coding) do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { type: 'jpeg', height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
    }
    at += 2 + data.readUInt16BE(at + 2);
  }
  return undefined;
}

/** Scales RGBA pixels down (averaging each block) to at most OA_QR_STORED_SIDE a side. */
function fitWithin(image: { data: Buffer; width: number; height: number }) {
  const factor = Math.ceil(Math.max(image.width, image.height) / OA_QR_STORED_SIDE);
  if (factor <= 1) {
    return image;
  }
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const out = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (y * factor + dy) * image.width;
          for (let dx = 0; dx < factor; dx++) {
            sum += image.data[(row + x * factor + dx) * 4 + c]!;
          }
        }
        out[(y * width + x) * 4 + c] = Math.round(sum / (factor * factor));
      }
    }
  }
  return { data: out, width, height };
}

export async function removeOaQrImage(db: Queryable): Promise<void> {
  await db.deleteFrom('oa_qr_image').execute();
}
