/**
 * The national dossier statuses 1–10 (domain-vn.md §3.1) with the words officers and citizens see.
 * "Overdue" is not a status: it is derived from dates.
 *
 * One vocabulary: `label` is the status's wording on every channel — the Zalo message (ZBS template
 * parameter), SMS-free channels such as the email, the OA bot's answers, `/tra-cuu` and its timeline, the
 * officer app and the Excel export — so that a citizen who phones the desk uses the officer's words.
 */
export const Status = {
  Submitted: 1,
  Received: 2,
  Refused: 3,
  Processing: 4,
  SupplementRequested: 5,
  FinancialObligation: 6,
  WithdrawalRequested: 7,
  Stopped: 8,
  Done: 9,
  Returned: 10,
} as const;

export type StatusCode = (typeof Status)[keyof typeof Status];

export interface StatusInfo {
  code: StatusCode;
  /**
   * The wording of the status everywhere (the national label; status 6's is shortened to fit Zalo's
   * 30-character status parameter: "Yêu cầu thực hiện nghĩa vụ tài chính" is 36).
   */
  label: string;
  /** DVCQG's string status. */
  dvcqg: string;
  /** What it means for the citizen, in plain Vietnamese. */
  citizenMeaning: string;
  /** What the citizen should do now (empty when nothing). */
  citizenNextStep: string;
  /** Processing has ended (the result or refusal exists). */
  final: boolean;
}

export const STATUSES: Record<StatusCode, StatusInfo> = {
  1: {
    code: 1,
    label: 'Mới đăng ký',
    dvcqg: 'receiving',
    citizenMeaning: 'Hồ sơ đã được gửi, đang chờ Bộ phận Một cửa kiểm tra và tiếp nhận.',
    citizenNextStep: '',
    final: false,
  },
  2: {
    code: 2,
    label: 'Được tiếp nhận',
    dvcqg: 'new',
    citizenMeaning: 'Hồ sơ đã được tiếp nhận và sẽ được chuyển đến bộ phận xử lý.',
    citizenNextStep: 'Giữ Giấy tiếp nhận hồ sơ để tra cứu và nhận kết quả.',
    final: false,
  },
  3: {
    code: 3,
    label: 'Không được tiếp nhận',
    dvcqg: 'denied',
    citizenMeaning:
      'Hồ sơ không được tiếp nhận hoặc không được giải quyết. Lý do được ghi trong Phiếu từ chối.',
    citizenNextStep: 'Liên hệ Bộ phận Một cửa để nhận lại hồ sơ và được hướng dẫn.',
    final: true,
  },
  4: {
    code: 4,
    label: 'Đang xử lý',
    dvcqg: 'processing',
    citizenMeaning: 'Hồ sơ đang được cán bộ chuyên môn xem xét, giải quyết.',
    citizenNextStep: '',
    final: false,
  },
  5: {
    code: 5,
    label: 'Yêu cầu bổ sung giấy tờ',
    dvcqg: 'waiting',
    citizenMeaning: 'Hồ sơ cần bổ sung, hoàn thiện. Thời hạn giải quyết tạm dừng cho đến khi nhận đủ hồ sơ.',
    citizenNextStep: 'Mang các giấy tờ còn thiếu đến Bộ phận Một cửa để bổ sung hồ sơ.',
    final: false,
  },
  6: {
    code: 6,
    label: 'Thực hiện nghĩa vụ tài chính',
    dvcqg: 'paying',
    citizenMeaning: 'Hồ sơ đang chờ nộp phí, lệ phí hoặc thuế theo quy định.',
    citizenNextStep: 'Nộp số tiền được thông báo để hồ sơ tiếp tục được giải quyết.',
    final: false,
  },
  7: {
    code: 7,
    label: 'Công dân yêu cầu rút hồ sơ',
    dvcqg: 'cancelled',
    citizenMeaning: 'Yêu cầu rút hồ sơ đã được ghi nhận và đang chờ xác nhận.',
    citizenNextStep: '',
    final: false,
  },
  8: {
    code: 8,
    label: 'Dừng xử lý',
    dvcqg: 'unresolved',
    citizenMeaning: 'Việc giải quyết hồ sơ đã dừng lại.',
    citizenNextStep: 'Liên hệ Bộ phận Một cửa nếu cần được hướng dẫn thêm.',
    final: true,
  },
  9: {
    code: 9,
    label: 'Đã xử lý xong',
    dvcqg: 'releasing',
    citizenMeaning: 'Hồ sơ đã có kết quả, đang chờ trả cho người nộp.',
    citizenNextStep: 'Mang Giấy tiếp nhận hồ sơ và giấy tờ tùy thân đến Bộ phận Một cửa để nhận kết quả.',
    final: true,
  },
  10: {
    code: 10,
    label: 'Đã trả kết quả',
    dvcqg: 'done',
    citizenMeaning: 'Kết quả đã được trả cho người nộp hồ sơ.',
    citizenNextStep: '',
    final: true,
  },
};

export function isStatusCode(n: number): n is StatusCode {
  return Number.isInteger(n) && n >= 1 && n <= 10;
}

/** The longest status wording: a ZBS "status" parameter (trang_thai) holds 30 characters. */
export const STATUS_LABEL_MAX_LENGTH = 30;

/** The wording of the status a step of the journal entered: the apology keeps the status but says why. */
export function stepStatusLabel(action: string, toStatus: number): string {
  if (action === 'apologise') {
    return 'Hẹn lại ngày trả kết quả';
  }
  return isStatusCode(toStatus) ? STATUSES[toStatus].label : `Trạng thái ${toStatus}`;
}

/** What a step did besides entering its status, in the words of the history lines. */
const STEP_NOTES: Record<string, string> = {
  receive_supplement: 'đã nhận hồ sơ bổ sung',
  confirm_payment: 'đã xác nhận nộp tiền',
};

/**
 * One line of a dossier's history, the same on the public timeline (`/tra-cuu`, the bot's detail page) and on
 * the officer's: "Đang xử lý (đã nhận hồ sơ bổ sung)".
 */
export function historyLabel(action: string, toStatus: number): string {
  const note = STEP_NOTES[action];
  const label = stepStatusLabel(action, toStatus);
  return note ? `${label} (${note})` : label;
}

export const CHANNELS = {
  direct: 'Trực tiếp',
  post: 'Bưu chính',
  online: 'Trực tuyến',
} as const;

export type Channel = keyof typeof CHANNELS;

export const ROLES = {
  admin: 'Quản trị hệ thống',
  desk_officer: 'Cán bộ tiếp nhận/trả kết quả',
  specialist: 'Chuyên viên xử lý',
  leader: 'Lãnh đạo phê duyệt',
  viewer: 'Người xem',
} as const;

export type RoleName = keyof typeof ROLES;
