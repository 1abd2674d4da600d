import { z } from 'zod';

/** The largest value of a PostgreSQL integer (our ids are int4, or bigint starting there). */
export const INT4_MAX = 2_147_483_647;

/** A row id in a body: 1 to INT4_MAX (a larger number used to reach PostgreSQL and fail with a 500). */
export const ZRowId = z.number().int().min(1).max(INT4_MAX);

/** `:id` in a path. */
export const ZIdParams = z.object({ id: z.coerce.number().int().min(1).max(INT4_MAX) });
