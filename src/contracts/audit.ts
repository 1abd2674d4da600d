import { z } from 'zod';

/** What each audited action is called in the officer app (Nhật ký hệ thống). */
export const AUDIT_ACTIONS: Record<string, string> = {
  'auth.login': 'Đăng nhập',
  'auth.login_failed': 'Đăng nhập không thành công',
  'auth.password_changed': 'Đổi mật khẩu',
  'auth.password_change_failed': 'Đổi mật khẩu không thành công (sai mật khẩu hiện tại)',
  'auth.logout_everywhere': 'Đăng xuất khỏi mọi thiết bị',
  'user.create': 'Tạo tài khoản',
  'user.update': 'Sửa tài khoản',
  'user.disable': 'Khóa tài khoản',
  'user.reset_password': 'Đặt lại mật khẩu',
  'api_key.create': 'Tạo khóa API',
  'api_key.revoke': 'Thu hồi khóa API',
  'procedure.update': 'Sửa thủ tục hành chính',
  'procedure.import': 'Nhập danh mục thủ tục từ tệp Excel',
  'calendar.set': 'Sửa lịch làm việc',
  'calendar.remove': 'Bỏ ngày khỏi lịch làm việc',
  'calendar.confirm_year': 'Xác nhận lịch nghỉ của năm',
  'fallback_policy.update': 'Sửa cách gửi thay thế (SMS, email)',
  'zalo.connect': 'Kết nối Zalo OA',
  'zalo.template.set': 'Gán mẫu tin Zalo',
  'zalo.oa_qr.upload': 'Tải lên mã QR của OA',
  'zalo.oa_qr.remove': 'Bỏ mã QR đã tải lên',
  'notification.retry': 'Gửi lại thông báo',
  'notification.cancel': 'Hủy thông báo',
  'status_change.retry': 'Lập lại thông báo của lần chuyển trạng thái',
  'alert.recipients.set': 'Sửa danh sách email nhận cảnh báo',
  'alert.resolve': 'Đánh dấu đã xử lý cảnh báo',
};

/** What the audited targets are called, for "Đối tượng". */
export const AUDIT_TARGETS: Record<string, string> = {
  app_user: 'Tài khoản',
  api_key: 'Khóa API',
  procedure: 'Thủ tục',
  calendar_day: 'Ngày',
  calendar_year: 'Năm',
  province: 'Tỉnh',
  zalo_connection: 'Zalo OA',
  zalo_template_binding: 'Mẫu tin Zalo',
  oa_qr_image: 'Mã QR của OA',
  notification: 'Thông báo',
  status_change: 'Chuyển trạng thái',
  app_meta: 'Cấu hình',
  app_alert: 'Cảnh báo',
};

export const ZAuditQuery = z.object({
  action: z.string().max(100).optional().describe('One action, e.g. user.update'),
  q: z
    .string()
    .max(100)
    .optional()
    .describe(
      'Part of the actor’s name (diacritics optional), their username, or the target’s id (a number is an id only)',
    ),
  from: z.iso.date().optional().describe('Vietnam calendar day, inclusive'),
  to: z.iso.date().optional().describe('Vietnam calendar day, inclusive'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export type TAuditQuery = z.input<typeof ZAuditQuery>;

export const ZAuditEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({
    kind: z.enum(['user', 'api_key', 'system']),
    name: z.string(),
    /** The account's username (users only). */
    username: z.string().nullable(),
    /** The account's role in Vietnamese, "Khóa API" or "Hệ thống". */
    roleLabel: z.string(),
    agencyName: z.string().nullable(),
  }),
  action: z.string(),
  actionLabel: z.string(),
  target: z.object({
    type: z.string(),
    id: z.string(),
    /** What the target is called: "Tài khoản nv.an", "Khóa API Phần mềm một cửa", "Ngày 02/01/2026" … */
    label: z.string(),
  }),
  data: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;

export const ZAuditPage = z.object({
  items: z.array(ZAuditEvent),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Whether a next page exists (the journal is not counted: it only grows). */
  hasMore: z.boolean(),
});
export type TAuditPage = z.infer<typeof ZAuditPage>;
