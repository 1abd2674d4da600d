/**
 * The kinds of alert administrators receive (banner in the officer app, e-mail, page "Tình trạng hệ thống"):
 * what each one means and what to do. An alert's key is its kind, or `<kind>:<cause>` when one kind has several
 * independent causes (a template, an account problem, a queue): each cause is raised and cleared on its own.
 * Shared with the officer app; docs/operations.md says the same at length.
 */
export interface AlertKind {
  title: string;
  /** What an administrator should do, in one or two sentences. */
  todo: string;
  /** The officer app's page where it is fixed. */
  page: string;
}

export const ALERT_KINDS: Record<string, AlertKind> = {
  'zalo.connection': {
    title: 'Mất kết nối Zalo OA',
    todo: 'Vào trang "Kết nối Zalo OA" và kết nối lại (OAuth hoặc dán mã làm mới mới). Tin nhắn đang chờ được gửi ngay khi kết nối lại.',
    page: '/zalo',
  },
  'zalo.refresh_token': {
    title: 'Mã làm mới Zalo sắp hết hạn',
    todo: 'Kiểm tra kết nối tại trang "Kết nối Zalo OA"; nếu không tự gia hạn được, hãy kết nối lại trước ngày hết hạn.',
    page: '/zalo',
  },
  'zalo.template': {
    title: 'Zalo từ chối mẫu tin',
    todo: 'Kiểm tra trạng thái duyệt của mẫu tin trên Zalo Cloud Account, hoặc gán mẫu tin khác đã được duyệt tại trang "Kết nối Zalo OA". Tin nhắn dùng mẫu này đang chờ.',
    page: '/zalo',
  },
  'zalo.template.missing': {
    title: 'Chưa gán mẫu tin Zalo',
    todo: 'Gán mẫu tin đã được duyệt cho trạng thái này tại trang "Kết nối Zalo OA"; tin nhắn đang chờ sẽ được gửi ngay.',
    page: '/zalo',
  },
  'zalo.template_review': {
    title: 'Zalo không duyệt hoặc khóa mẫu tin',
    todo: 'Đọc lý do trong cảnh báo, sửa mẫu tin trên Zalo Cloud Account và gửi duyệt lại, hoặc gán mẫu tin khác đã được duyệt tại trang "Kết nối Zalo OA". Cảnh báo tự hết khi Zalo duyệt mẫu tin.',
    page: '/zalo',
  },
  'zalo.daily_quota': {
    title: 'Zalo giảm hạn mức gửi tin trong ngày',
    todo: 'Hạn mức ZBS đi theo chất lượng gửi (tỉ lệ bị báo cáo, chặn). Kiểm tra trên Zalo Cloud Account; tin vượt hạn mức chờ sang ngày hôm sau, SMS/email thay thế theo cấu hình. Cảnh báo tự hết khi hạn mức tăng lại.',
    page: '/tinh-trang',
  },
  'zalo.account': {
    title: 'Tài khoản Zalo OA/ZBS không gửi được tin',
    todo: 'Kiểm tra số dư, hạn mức và quyền của OA trên Zalo Cloud Account. Tin nhắn đang chờ và được gửi lại tự động.',
    page: '/tinh-trang',
  },
  'zalo.payload': {
    title: 'Zalo từ chối dữ liệu tin nhắn',
    todo: 'Kiểm tra các tham số của mẫu tin tại trang "Kết nối Zalo OA" (tên tham số, độ dài tối đa).',
    page: '/zalo',
  },
  'zalo.event.failed': {
    title: 'Không xử lý được sự kiện Zalo',
    todo: 'Xem nhật ký máy chủ; tin nhắn của người dân có thể chưa được trả lời. Bấm "Đã xử lý" khi đã kiểm tra.',
    page: '/tinh-trang',
  },
  'status_change.failed': {
    title: 'Chưa lập được thông báo',
    todo: 'Khắc phục nguyên nhân rồi bấm "Lập lại" trên trang "Thông báo".',
    page: '/thong-bao',
  },
  'job.failed': {
    title: 'Việc chạy nền không thực hiện được',
    todo: 'Xem lỗi trong nội dung cảnh báo và nhật ký máy chủ (thường là cổng SMS hoặc máy chủ email); tin nhắn liên quan được ghi trên trang "Thông báo". Bấm "Đã xử lý" khi đã kiểm tra.',
    page: '/tinh-trang',
  },
  'queue.stale': {
    title: 'Hàng đợi gửi tin bị chậm',
    todo: 'Kiểm tra tiến trình xử lý nền (worker) và kết nối tới Zalo/cổng SMS trên trang "Tình trạng hệ thống".',
    page: '/tinh-trang',
  },
  'worker.silent': {
    title: 'Tiến trình xử lý nền không hoạt động',
    todo: 'Khởi động lại tiến trình worker (npm start hoặc --role=worker); khi nó chạy lại, tin nhắn tồn được gửi tiếp.',
    page: '/tinh-trang',
  },
  'gateway.sms': {
    title: 'Cổng SMS lỗi liên tục',
    todo: 'Kiểm tra cổng SMS thương hiệu (địa chỉ, tài khoản, số dư). Tin nhắn SMS được thử lại tự động.',
    page: '/tinh-trang',
  },
  'gateway.email': {
    title: 'Máy chủ email lỗi liên tục',
    todo: 'Kiểm tra máy chủ SMTP (SMTP_URL, tài khoản). Email được thử lại tự động.',
    page: '/tinh-trang',
  },
};

/** The kind of an alert key (`zalo.template:419003` → `zalo.template`). */
export function alertKindOf(key: string): string {
  return key.split(':')[0]!;
}

export function alertKind(key: string): AlertKind {
  return (
    ALERT_KINDS[alertKindOf(key)] ?? {
      title: 'Cảnh báo hệ thống',
      todo: 'Xem trang "Tình trạng hệ thống".',
      page: '/tinh-trang',
    }
  );
}
