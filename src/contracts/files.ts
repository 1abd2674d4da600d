import { z } from 'zod';

/** A route's answer that is a file (a PDF form, an Excel export), for its response schema and the OpenAPI page. */
export function fileResponse<M extends string>(mediaType: M, description: string) {
  return {
    description,
    // Any: the body is a Buffer or a stream, never serialized; the meta is what the OpenAPI page shows.
    content: { [mediaType]: { schema: z.any().meta({ type: 'string', format: 'binary' }) } } as Record<
      M,
      { schema: z.ZodAny }
    >,
  };
}

export const PDF = 'application/pdf';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
