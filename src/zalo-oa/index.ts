/** The public entry of src/zalo-oa/: what other features and the app module may use. */

export type { SiteInfo } from './oa-qr.ts';
export { oaNameOf, siteInfo } from './oa-qr.ts';
export { zaloOaRoutes } from './routes.ts';
