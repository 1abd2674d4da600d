/**
 * The error catalogue. Domain code throws these; `http/errors.ts` maps them to HTTP in one place.
 * `code` is stable for API clients and the UI; `message` is precise English for API clients;
 * `userMessage` is the Vietnamese sentence an officer or citizen sees.
 */
export interface FieldProblem {
  field: string;
  message: string;
  userMessage: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly userMessage: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const NotFound = (what: string, key: string, userMessage = 'Không tìm thấy dữ liệu yêu cầu.') =>
  new AppError(`${what}_not_found`, 404, `${capitalise(what)} ${key} not found`, userMessage);

export const Forbidden = (message: string, userMessage = 'Bạn không có quyền thực hiện thao tác này.') =>
  new AppError('forbidden', 403, message, userMessage);

export const Unauthenticated = (message = 'Authentication required') =>
  new AppError('authentication_required', 401, message, 'Vui lòng đăng nhập.');

export const Conflict = (code: string, message: string, userMessage: string, details?: unknown) =>
  new AppError(code, 409, message, userMessage, details);

export const TooManyRequests = (message: string, userMessage: string, retryAfterSeconds: number) =>
  new AppError('rate_limited', 429, message, userMessage, { retryAfterSeconds });

/** Invalid input, with one problem per field. */
export class InvalidInput extends AppError {
  constructor(readonly problems: FieldProblem[]) {
    super(
      'invalid_input',
      400,
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems.map((p) => p.userMessage).join(' '),
      problems,
    );
  }
}

export const invalid = (field: string, message: string, userMessage: string) =>
  new InvalidInput([{ field, message, userMessage }]);

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replaceAll('_', ' ');
}
