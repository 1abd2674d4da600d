/** The public entry of src/email/: what other features and the app module may use. */
export { mailboxRoutes } from './mailbox-routes.ts';
export { sendEmail } from './send-email.ts';
