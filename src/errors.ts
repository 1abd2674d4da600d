import { ERROR_CATALOGUE, type ErrorCode } from './contracts/errors.ts';

export { ERROR_CATALOGUE, type ErrorCode };

/**
 * The error catalogue: every error the product answers with, by name. Domain code throws these; `http/errors.ts`
 * maps them to HTTP in one place. `code` is stable for API clients and the UI; the catalogue's `message` says in
 * English what the code means (docs/integration-api.md lists it), an instance's `message` may be more precise;
 * `userMessage` is the Vietnamese sentence an officer or citizen sees.
 *
 * The catalogue is closed: `ErrorCode` is its keys, and every constructor below takes an `ErrorCode`, so a new
 * code means a new entry here (src/errors.test.ts checks the source and the documentation agree).
 */

export type CodeWithStatus<S extends number> = {
  [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]['status'] extends S ? C : never;
}[ErrorCode];

/** The subjects of `NotFound`: every `<subject>_not_found` of the catalogue. */
export type NotFoundSubject = ErrorCode extends infer C
  ? C extends `${infer S}_not_found`
    ? S
    : never
  : never;

export interface FieldProblem {
  field: string;
  message: string;
  userMessage: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Precise English for API clients; the catalogue's message when omitted. */
    message: string | undefined,
    readonly userMessage: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.status = ERROR_CATALOGUE[code].status;
    this.name = 'AppError';
  }
}

export const NotFound = (
  what: NotFoundSubject,
  key: string,
  userMessage = 'Không tìm thấy dữ liệu yêu cầu.',
) => new AppError(`${what}_not_found`, `${capitalise(what)} ${key} not found`, userMessage);

export const Forbidden = (message: string, userMessage = 'Bạn không có quyền thực hiện thao tác này.') =>
  new AppError('forbidden', message, userMessage);

export const Unauthenticated = (message = 'Authentication required') =>
  new AppError('authentication_required', message, 'Vui lòng đăng nhập.');

export type ConflictCode = CodeWithStatus<409>;

export const Conflict = (code: ConflictCode, message: string, userMessage: string, details?: unknown) =>
  new AppError(code, message, userMessage, details);

export const TooManyRequests = (message: string, userMessage: string, retryAfterSeconds: number) =>
  new AppError('rate_limited', message, userMessage, { retryAfterSeconds });

/** Invalid input, with one problem per field. */
export class InvalidInput extends AppError {
  constructor(readonly problems: FieldProblem[]) {
    super(
      'invalid_input',
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
