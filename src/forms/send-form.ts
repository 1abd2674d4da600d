import type { FastifyReply } from 'fastify';
import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { loadFormData } from './form-data.ts';
import { type NoticeKind, renderNotice } from './notices.ts';
import { renderReceipt } from './receipt.ts';

export type FormKind = 'receipt' | NoticeKind;
export const FORM_KINDS = ['receipt', 'supplement', 'refusal', 'apology', 'stop'] as const;

/** What the downloaded files are called: Vietnamese without diacritics, as officers name their files. */
export const FORM_FILE_NAMES: Record<FormKind, string> = {
  receipt: 'phieu-tiep-nhan',
  supplement: 'phieu-yeu-cau-bo-sung',
  refusal: 'phieu-tu-choi',
  apology: 'phieu-xin-loi-hen-lai',
  stop: 'thong-bao-dung-giai-quyet',
};

/** Renders a dossier's form and sends it inline as a PDF named after the form and the dossier code. */
export async function sendForm(
  app: AppContext,
  actor: Actor,
  code: string,
  kind: FormKind,
  reply: FastifyReply,
) {
  const data = await loadFormData(app, actor, code);
  const pdf = kind === 'receipt' ? await renderReceipt(data) : await renderNotice(data, kind);
  return reply
    .header('Content-Type', 'application/pdf')
    .header(
      'Content-Disposition',
      `inline; filename="${FORM_FILE_NAMES[kind]}-${data.dossier.code.replace(/[^A-Za-z0-9.-]/g, '_')}.pdf"`,
    )
    .header('Cache-Control', 'private, no-store')
    .send(pdf);
}
