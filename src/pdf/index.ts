/** The public entry of src/pdf/: what other features and the app module may use. */
export {
  CONTENT_WIDTH,
  field,
  formatMoney,
  header,
  MARGIN,
  newDocument,
  PAGE_WIDTH,
  paragraph,
  qrPng,
  signatures,
  table,
  title,
  toBuffer,
  vietnameseDate,
  vietnameseDateTime,
} from './document.ts';
