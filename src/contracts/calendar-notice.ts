// Without zod, unlike calendar.ts: the intake screen shows this sentence, and importing the schemas would put
// zod on the officer app's first load.

/** The officer's sentence for a date counted across proposed years. */
export function proposedYearsNotice(years: number[]): string {
  const list = years.join(', ');
  return (
    `Ngày hẹn được tính theo lịch nghỉ lễ dự kiến năm ${list} (chưa có quyết định chính thức), ` +
    'có thể thay đổi khi lịch được xác nhận. Vui lòng báo cho người nộp hồ sơ.'
  );
}
