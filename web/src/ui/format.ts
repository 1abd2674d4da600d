/** Vietnamese formats: dates dd/MM/yyyy, money with dot separators and "đ". */

const VN = 'Asia/Ho_Chi_Minh';

export function formatDate(value: string | null | undefined): string {
  if (!value) {
    return '';
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone: VN,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(new Date(value));
}

/** Today in Vietnam, 'YYYY-MM-DD' (whatever the browser's own time zone). */
export function vnToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: VN }).format(new Date());
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) {
    return '';
  }
  const d = new Date(value);
  const time = new Intl.DateTimeFormat('vi-VN', {
    timeZone: VN,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
  return `${time} ${formatDate(value)}`;
}

export function formatMoney(amount: number): string {
  return `${new Intl.NumberFormat('vi-VN').format(amount)} đ`;
}

export function formatPercent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1).replace('.', ',')}%`;
}
