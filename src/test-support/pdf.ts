/** Reads a PDF as a user would check it: its text and the QR codes of its images (the sandbox's scanner). */
export { readPdf } from '../zalo-sandbox/qr.ts';
