import jsQRModule from 'jsqr';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

// jsqr is a CommonJS bundle: depending on the loader its default export is the function or wraps it.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ??
  jsQRModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/** Reads a PDF as a user would check it: its text (pdfjs-dist) and the QR codes of its images (jsQR). */
export async function readPdf(pdf: Buffer): Promise<{ text: string; qrCodes: string[]; pages: number }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  let text = '';
  const qrCodes: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    text += `${content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? '\n' : '') : '')).join('')}\n`;
    const ops = await page.getOperatorList();
    for (let i = 0; i < ops.fnArray.length; i++) {
      if (ops.fnArray[i] !== OPS.paintImageXObject) {
        continue;
      }
      const name = ops.argsArray[i][0] as string;
      const image = await new Promise<{
        width: number;
        height: number;
        data: Uint8ClampedArray;
        kind: number;
      }>((resolve) => page.objs.get(name, resolve));
      const decoded = jsQR(toRgba(image), image.width, image.height);
      if (decoded) {
        qrCodes.push(decoded.data);
      }
    }
  }
  await doc.destroy();
  return { text: text.normalize('NFC'), qrCodes, pages: doc.numPages };
}

/** pdfjs image kinds: 1 = 1-bit grey, 2 = RGB, 3 = RGBA. */
function toRgba(image: {
  width: number;
  height: number;
  data: Uint8ClampedArray;
  kind: number;
}): Uint8ClampedArray {
  if (image.kind === 3) {
    return image.data;
  }
  const pixels = image.width * image.height;
  const out = new Uint8ClampedArray(pixels * 4);
  for (let i = 0; i < pixels; i++) {
    if (image.kind === 2) {
      out[i * 4] = image.data[i * 3]!;
      out[i * 4 + 1] = image.data[i * 3 + 1]!;
      out[i * 4 + 2] = image.data[i * 3 + 2]!;
    } else {
      const rowBytes = Math.ceil(image.width / 8);
      const x = i % image.width;
      const y = Math.floor(i / image.width);
      const bit = (image.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
      out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = bit ? 255 : 0;
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}
