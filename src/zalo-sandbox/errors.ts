/**
 * Zalo error codes the sandbox returns, with Zalo's own wording (zalo-platform.md §3.2, §8). Every one of
 * them arrives with HTTP 200 and `error != 0`, as on the real platform.
 */
export const ZaloErrors = {
  unknown: { error: -100, message: 'Unknown error' },
  appInvalid: { error: -101, message: 'Application is invalid' },
  paramsInvalid: { error: -201, message: 'Parameters are invalid' },
  phoneInvalid: { error: -108, message: 'Phone number is invalid' },
  templateInvalid: { error: -109, message: 'Template id is invalid' },
  templateDataEmpty: { error: -111, message: 'Template data is empty' },
  paramTooLong: { error: -1121, message: 'Parameter exceeds the maximum length' },
  paramMissing: { error: -1122, message: 'Required parameter is missing' },
  badFormat: { error: -1124, message: 'Data has an invalid format' },
  userCannotReceive: {
    error: -114,
    message: 'User is inactive, or reject the message, or using an outdated Zalo version',
  },
  outOfBalance: { error: -115, message: 'Out of quota or insufficient ZNS balance' },
  noZaloAccount: { error: -118, message: 'Zalo account not existed' },
  zbsTokenInvalid: { error: -124, message: 'Access token invalid' },
  devModeNotAdmin: {
    error: -127,
    message: 'Template in development mode can only be sent to administrators',
  },
  templateNotApproved: { error: -131, message: 'Template is not approved' },
  dailyLimit: { error: -144, message: 'OA has exceeded the daily sending limit' },
  oaTokenInvalid: { error: -216, message: 'Access token is invalid' },
  oaTokenExpired: { error: -220, message: 'access_token is expired or removed' },
  userNotFound: { error: -213, message: 'User has not followed OA or does not exist' },
  outsideWindow: { error: -230, message: 'User has not interacted with the OA in the past 7 days' },
  rateLimited: { error: -32, message: 'Your application/OA reached limit call api' },
} as const;

export type ZaloError = { error: number; message: string };

/** OAuth token-endpoint errors use their own shape (error_name / error_reason / error_description). */
export function oauthError(error: number, name: string, description: string) {
  return {
    error,
    error_name: name,
    error_reason: name,
    error_description: description,
    ref_doc: 'https://developers.zalo.me/docs/official-account/bat-dau/xac-thuc-va-uy-quyen-cho-ung-dung-new',
  };
}
