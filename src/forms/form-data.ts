import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { type DossierRecord, findDossierByCode, journalOf } from '../dossiers/index.ts';
import { NotFound } from '../errors.ts';
import { signedLookupUrl } from '../lookup/index.ts';
import { oaNameOf } from '../zalo-oa/index.ts';

/** Everything a printed form needs about a dossier, loaded once. */
export interface FormData {
  dossier: DossierRecord;
  journal: Awaited<ReturnType<typeof journalOf>>;
  provinceName: string;
  /** The Zalo Official Account citizens follow, e.g. "Dịch vụ công tỉnh Quảng Trị". */
  oaName: string;
  lookupUrl: string;
  /** Where the form is dated: the commune or the province. */
  place: string;
  /** End of office hours: results are due by then on the appointment day. */
  officeClosesAt: string;
}

export async function loadFormData(app: AppContext, actor: Actor, code: string): Promise<FormData> {
  const dossier = await findDossierByCode(app.db, actor.agencyId, code);
  if (!dossier) {
    throw NotFound('dossier', code, 'Không tìm thấy hồ sơ.');
  }
  const place = await app.db
    .selectFrom('agency as a')
    .innerJoin('province as p', 'p.code', 'a.province_code')
    .leftJoin('commune as c', 'c.code', 'a.commune_code')
    .select(['p.name as province', 'p.short_name as provinceShort', 'c.name as commune'])
    .where('a.id', '=', dossier.agency_id)
    .executeTakeFirstOrThrow();
  return {
    dossier,
    journal: await journalOf(app.db, dossier.id),
    provinceName: place.province,
    oaName: oaNameOf(place.province),
    lookupUrl: signedLookupUrl(app.config.http.publicBaseUrl, app.config.secrets.lookupLink, dossier.code),
    place: place.commune ? place.commune.replace(/^(Phường|Xã|Đặc khu) /, '') : place.provinceShort,
    officeClosesAt: app.config.desk.closesAt,
  };
}
