import QRCode from 'qrcode';
import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { findDossierByCode } from '../dossiers/index.ts';
import { NotFound } from '../errors.ts';
import { signedLookupUrl } from '../lookup/index.ts';
import { qrPng } from '../pdf/index.ts';

/**
 * The signed look-up link of a dossier, for the external system to print on ITS receipt: the same link (and
 * signature) as our own Mẫu 01 carries, with the line to print beside the QR.
 */
export async function lookupLinkOf(app: AppContext, actor: Actor, rawCode: string) {
  const d = await findDossierByCode(app.db, actor.agencyId, rawCode);
  if (!d) {
    throw NotFound('dossier', rawCode, 'Không tìm thấy hồ sơ.');
  }
  const url = signedLookupUrl(app.config.http.publicBaseUrl, app.config.secrets.lookupLink, d.code);
  return {
    code: d.code,
    url,
    text: `Quét mã QR để tra cứu tình trạng hồ sơ ${d.code} và nhận thông báo qua Zalo`,
  };
}

export function lookupQrPng(url: string): Buffer {
  return qrPng(url, 8, 2);
}

export function lookupQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
