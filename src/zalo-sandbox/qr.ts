import jpeg from 'jpeg-js';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is a CommonJS bundle: depending on the loader its default export is the function or wraps it.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ??
  jsQRModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/**
 * pdf.js's legacy build is its build for Node.js: the modern one needs browser globals (DOMMatrix) and
 * Uint8Array#toHex, which Node 24 lacks. As it loads it installs core-js polyfills for the whole process
 * (on Node 24: Uint8Array#toHex, Map#getOrInsertComputed, and a replaced Promise.try; on Node 20 it replaced
 * JSON.stringify, 4 times slower), so it is loaded only when a PDF is read: by the sandbox's scanner and by
 * tests, never by a production node (tests/deployment runs the nodes without it).
 */
const pdfjs = () => import('pdfjs-dist/legacy/build/pdf.mjs');

/**
 * What Zalo's scanner would read from a photo or a PDF of a receipt: the QR codes it contains. PDFs are read
 * through their embedded images (our receipts embed the QR as an image), photos are decoded directly.
 */
export async function qrCodesInFile(data: Buffer, mime: string): Promise<string[]> {
  if (mime === 'application/pdf' || data.subarray(0, 4).toString() === '%PDF') {
    return (await readPdf(data)).qrCodes;
  }
  if (mime === 'image/png' || data.subarray(1, 4).toString() === 'PNG') {
    const png = PNG.sync.read(data);
    return decode(
      new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
      png.width,
      png.height,
    );
  }
  const image = jpeg.decode(data, { useTArray: true, formatAsRGBA: true });
  return decode(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width,
    image.height,
  );
}

function decode(rgba: Uint8ClampedArray, width: number, height: number): string[] {
  const found = jsQR(rgba, width, height);
  return found ? [found.data] : [];
}

/** The text of a PDF and the QR codes of its images. */
export async function readPdf(pdf: Buffer): Promise<{ text: string; qrCodes: string[]; pages: number }> {
  const { getDocument, OPS } = await pdfjs();
  const loading = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false });
  const doc = await loading.promise;
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
      qrCodes.push(...decode(toRgba(image), image.width, image.height));
    }
  }
  const pages = doc.numPages;
  await loading.destroy();
  return { text: text.normalize('NFC'), qrCodes, pages };
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
  const rowBytes = Math.ceil(image.width / 8);
  for (let i = 0; i < pixels; i++) {
    if (image.kind === 2) {
      out[i * 4] = image.data[i * 3]!;
      out[i * 4 + 1] = image.data[i * 3 + 1]!;
      out[i * 4 + 2] = image.data[i * 3 + 2]!;
    } else {
      const x = i % image.width;
      const y = Math.floor(i / image.width);
      const bit = (image.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
      out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = bit ? 255 : 0;
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}
