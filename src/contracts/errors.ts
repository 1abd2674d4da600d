import { z } from 'zod';

/**
 * The closed catalogue of errors the API answers with (src/errors.ts builds them, src/http/errors.ts sends them).
 * Here, among the contracts, so that the web app and API clients share the codes. `message` says in English what
 * the code means; an answer's own `message` may be more precise. docs/integration-api.md lists them.
 */
export const ERROR_CATALOGUE = {
  // Requests the server could not read or that do not match their schema.
  invalid_request: { status: 400, message: 'The request does not match the route schema (see details)' },
  invalid_input: {
    status: 400,
    message: 'A field is missing or invalid (see details: one problem per field)',
  },
  invalid_value: { status: 400, message: 'A value is out of range or cannot be stored' },
  invalid_reference: { status: 400, message: 'A value refers to something that does not exist' },
  bad_request: { status: 400, message: 'The request could not be read (malformed body or headers)' },
  bad_url: { status: 400, message: 'The URL does not decode' },
  payload_too_large: { status: 413, message: 'The request body is larger than the route accepts' },
  unsupported_media_type: { status: 415, message: 'The Content-Type is not accepted by this route' },
  export_too_large: { status: 400, message: 'The filters match more dossiers than one export may hold' },
  import_file_invalid: { status: 400, message: 'The uploaded file is not a readable procedure catalogue' },
  import_invalid: {
    status: 400,
    message: 'Rows of the imported catalogue are invalid; nothing was imported',
  },
  refresh_token_rejected: { status: 400, message: 'Zalo rejected the refresh token' },
  oauth_denied: { status: 400, message: 'The Zalo OA administrator did not give consent' },
  oauth_state_invalid: { status: 400, message: 'Unknown or expired OAuth state' },
  malformed_event: { status: 400, message: 'The webhook body is not a JSON object of a plausible depth' },

  // Who is asking.
  authentication_required: { status: 401, message: 'A valid session cookie or API key is required' },
  invalid_credentials: { status: 401, message: 'Wrong username or password' },
  bad_token: { status: 401, message: 'Bad or missing delivery report token' },
  bad_signature: { status: 401, message: 'The webhook signature does not match' },
  forbidden: { status: 403, message: 'The role or agency of the caller may not do this' },
  cross_site_request: {
    status: 403,
    message: 'State-changing requests with the session cookie must come from this site',
  },

  // Things that are not there.
  route_not_found: { status: 404, message: 'No such route' },
  dossier_not_found: { status: 404, message: 'No dossier with this code in the caller’s agency' },
  agency_not_found: { status: 404, message: 'No such agency' },
  province_not_found: { status: 404, message: 'The agency’s province is not configured' },
  procedure_not_found: { status: 404, message: 'No such procedure' },
  user_not_found: { status: 404, message: 'No such user' },
  api_key_not_found: { status: 404, message: 'No such active API key' },
  notification_not_found: { status: 404, message: 'No such notification' },
  status_change_not_found: { status: 404, message: 'No given-up status change with this journal entry' },
  calendar_exception_not_found: { status: 404, message: 'The day has no calendar exception' },
  phone_not_found: { status: 404, message: 'The phone belongs to no dossier of the caller’s agency' },
  mail_not_found: { status: 404, message: 'No such e-mail in the mail catcher' },
  callback_subscription_not_found: { status: 404, message: 'No such callback subscription of this API key' },
  callback_delivery_not_found: { status: 404, message: 'No such callback delivery' },
  rating_follow_up_not_found: { status: 404, message: 'The dossier has no low rating awaiting an answer' },
  form_not_available: { status: 404, message: 'The dossier has no such printed form yet' },

  // The state forbids it now.
  invalid_transition: { status: 409, message: 'The dossier cannot move to this status from its current one' },
  concurrent_transition: {
    status: 409,
    message: 'The dossier kept changing while it was being moved; retry',
  },
  apology_already_issued: { status: 409, message: 'The due date may be reset only once' },
  apology_too_late: { status: 409, message: 'An apology with a new date must be issued before the due date' },
  daily_code_limit: { status: 409, message: 'The agency has used all dossier numbers of the day' },
  username_taken: { status: 409, message: 'The username is taken' },
  notification_not_retryable: {
    status: 409,
    message: 'The notification is neither queued, waiting nor failed',
  },
  notification_not_cancellable: { status: 409, message: 'Only waiting notifications can be cancelled' },
  calendar_year_confirmed: { status: 409, message: 'The year’s schedule is already confirmed' },
  no_alert_recipients: { status: 409, message: 'Nobody is set to receive alert e-mails' },
  agency_connected: {
    status: 409,
    message: 'The agency is connected to an external one-stop system: dossiers are received and moved there',
  },
  agency_not_connected: {
    status: 409,
    message: 'The agency runs its own desk in this product; connect it before sending its dossiers',
  },
  code_taken: { status: 409, message: 'The dossier code is already used by another agency' },
  event_conflict: { status: 409, message: 'A concurrent event got in the way; send the event again' },
  already_answered: { status: 409, message: 'This low rating was already answered' },
  idempotency_key_reused: {
    status: 422,
    message: 'This Idempotency-Key was used with a different request body',
  },
  rate_limited: { status: 429, message: 'Too many requests; retry after the Retry-After header' },

  // Our side or a gateway's.
  internal_error: { status: 500, message: 'Internal server error' },
  export_failed: { status: 500, message: 'The export failed' },
  oauth_exchange_failed: { status: 502, message: 'Zalo refused the authorisation code' },
  alert_mail_failed: { status: 502, message: 'The mail server did not accept the test e-mail' },
  database_unavailable: { status: 503, message: 'The database is unavailable; retry later' },
  too_many_uploads: {
    status: 503,
    message: 'Too many request bodies are being received at once; retry later',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** Every error answer: the body `src/http/errors.ts` sends, declared on every route for 4xx and 5xx. */
export const ZApiError = z
  .object({
    error: z.enum(ERROR_CODES).describe('A code of the error catalogue (docs/integration-api.md)'),
    message: z.string().describe('Precise English, for API clients'),
    userMessage: z.string().describe('Vietnamese, for people'),
    details: z
      .unknown()
      .describe(
        'Per-field problems [{field, message, userMessage}] for invalid_input/invalid_request; else null',
      ),
  })
  .meta({ id: 'ApiError' });
export type TApiError = z.infer<typeof ZApiError>;

/** The error answers declared beside a route's own. */
export const ERROR_RESPONSES = { '4xx': ZApiError, '5xx': ZApiError } as const;

/** A route's responses: its own (by status) and the error answers every route may give. */
export function withErrors<R extends Record<number, unknown>>(responses: R): R & typeof ERROR_RESPONSES {
  return { ...responses, ...ERROR_RESPONSES };
}

/** The answer of a route that answers 204 with no body. */
export const ZNoContent = z.null().describe('No content');
