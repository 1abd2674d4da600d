import { formatVnDate } from '../calendar/index.ts';
import type { LookupView } from '../lookup/index.ts';
import { codeFormatHint, deadlineText, findDossierCodes, vnDateTime } from '../lookup/index.ts';
import type { CsButton } from '../zalo/index.ts';

/**
 * What the OA says to citizens: pure functions from facts to consultation messages, in plain Vietnamese for
 * someone who has never used e-government.
 */
export interface BotReply {
  text: string;
  buttons?: CsButton[];
}

/** Hidden commands the reply buttons send back (oa.query.hide): the citizen never types them. */
export const FOLLOW_COMMAND = '#theodoi';
export const UNFOLLOW_COMMAND = '#botheodoi';

export type BotCommand =
  | { kind: 'lookup'; codes: string[] }
  | { kind: 'follow'; code: string }
  | { kind: 'unfollow'; code: string }
  | { kind: 'help' };

export function parseCitizenText(text: string): BotCommand {
  const trimmed = text.normalize('NFKC').trim();
  const lower = trimmed.toLowerCase();
  for (const [command, kind] of [
    [UNFOLLOW_COMMAND, 'unfollow'],
    [FOLLOW_COMMAND, 'follow'],
  ] as const) {
    if (lower.startsWith(command)) {
      const code = findDossierCodes(trimmed.slice(command.length))[0];
      return code ? { kind, code } : { kind: 'help' };
    }
  }
  const codes = findDossierCodes(trimmed);
  return codes.length ? { kind: 'lookup', codes } : { kind: 'help' };
}

export function welcomeReply(oaName: string, exampleCode: string): BotReply {
  return {
    text: [
      `Cảm ơn bạn đã quan tâm “${oaName}”.`,
      '',
      'Để tra cứu hồ sơ thủ tục hành chính, bạn chỉ cần gửi mã hồ sơ in trên Giấy tiếp nhận hồ sơ vào khung chat này (hoặc quét mã QR trên Giấy tiếp nhận).',
      `Ví dụ: ${exampleCode}`,
      '',
      'Chúng tôi sẽ trả lời ngay: hồ sơ đang ở bước nào, ngày hẹn trả kết quả và việc bạn cần làm.',
      'Nếu khi nộp hồ sơ bạn đăng ký nhận thông báo qua Zalo, bạn sẽ được báo mỗi khi hồ sơ thay đổi trạng thái: đã tiếp nhận, đang xử lý, cần bổ sung giấy tờ, cần nộp phí, đã có kết quả…',
      '',
      'Gõ “hướng dẫn” bất cứ lúc nào để xem lại hướng dẫn này.',
    ].join('\n'),
  };
}

export function guideReply(exampleCode: string, preface?: string): BotReply {
  return {
    text: [
      ...(preface ? [preface, ''] : []),
      'Hướng dẫn tra cứu hồ sơ:',
      '1. Tìm mã hồ sơ trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.',
      '2. Gửi mã đó vào khung chat này (chữ hoa hay chữ thường đều được).',
      '3. Đọc tình trạng hồ sơ và bấm “Theo dõi hồ sơ này” để được báo khi có thay đổi.',
      '',
      codeFormatHint(exampleCode),
    ].join('\n'),
  };
}

export function unknownCodeReply(code: string, exampleCode: string): BotReply {
  return {
    text: [
      `Không tìm thấy hồ sơ có mã ${code}.`,
      'Vui lòng kiểm tra lại từng chữ số trên Giấy tiếp nhận hồ sơ.',
      codeFormatHint(exampleCode),
      'Nếu vẫn không tìm thấy, vui lòng liên hệ Bộ phận Một cửa nơi bạn nộp hồ sơ.',
    ].join('\n'),
  };
}

/** The status answer. Knowing the code is not proof of being the applicant, so the name is masked. */
export function statusReply(
  v: LookupView,
  maskedName: string,
  detailUrl: string,
  followed: boolean,
): BotReply {
  const deadline = deadlineText(v);
  const lines = [
    `Hồ sơ ${v.code}`,
    `Người nộp: ${maskedName}`,
    `Thủ tục: ${v.procedureName}`,
    `Tình trạng: ${v.statusLabel}`,
    v.meaning,
    ...(v.nextStep ? [`Việc cần làm: ${v.nextStep}`] : []),
    `Ngày nhận: ${vnDateTime(v.receivedAt)}`,
    `Ngày hẹn trả: ${formatVnDate(v.appointmentDate)}`,
    ...(deadline ? [`Thời hạn: ${deadline}`] : []),
    `Cập nhật lần cuối: ${vnDateTime(v.lastUpdate)}`,
    ...(v.agency.hotline ? [`Hỗ trợ: ${v.agency.name}, ĐT ${v.agency.hotline}`] : []),
  ];
  const buttons: CsButton[] = [{ title: 'Xem chi tiết', type: 'oa.open.url', payload: { url: detailUrl } }];
  if (!v.finished) {
    buttons.unshift(
      followed
        ? { title: 'Bỏ theo dõi hồ sơ này', type: 'oa.query.hide', payload: `${UNFOLLOW_COMMAND} ${v.code}` }
        : { title: 'Theo dõi hồ sơ này', type: 'oa.query.hide', payload: `${FOLLOW_COMMAND} ${v.code}` },
    );
  }
  return { text: lines.join('\n'), buttons };
}

export function followedReply(code: string, alreadyByPhone: boolean): BotReply {
  return {
    text: alreadyByPhone
      ? `Số điện thoại Zalo của bạn đã đăng ký nhận thông báo cho hồ sơ ${code}. Bạn sẽ tiếp tục nhận thông báo qua số điện thoại đó, không bị gửi trùng.`
      : `Đã đăng ký theo dõi hồ sơ ${code}. Mỗi khi hồ sơ thay đổi trạng thái, chúng tôi sẽ nhắn tin cho bạn tại đây.`,
  };
}

export function unfollowedReply(code: string): BotReply {
  return { text: `Đã bỏ theo dõi hồ sơ ${code}. Bạn vẫn có thể gửi mã hồ sơ để tra cứu bất cứ lúc nào.` };
}

export function tooManyReply(perMinute: number): BotReply {
  return {
    text: `Bạn đã tra cứu ${perMinute} lần trong một phút. Để bảo vệ thông tin hồ sơ, vui lòng thử lại sau ít phút.`,
  };
}

export function busyReply(): BotReply {
  return { text: 'Hệ thống tra cứu đang bận. Vui lòng gửi lại mã hồ sơ sau ít phút.' };
}

/** A status change told to a Zalo user who follows the dossier, inside the 7-day window. */
export function statusChangeText(v: LookupView, maskedName: string): string {
  const deadline = deadlineText(v);
  return [
    `Hồ sơ ${v.code} (${maskedName}) vừa được cập nhật.`,
    `Tình trạng: ${v.statusLabel}`,
    v.meaning,
    ...(v.nextStep ? [`Việc cần làm: ${v.nextStep}`] : []),
    `Ngày hẹn trả: ${formatVnDate(v.appointmentDate)}`,
    ...(deadline ? [`Thời hạn: ${deadline}`] : []),
  ].join('\n');
}
