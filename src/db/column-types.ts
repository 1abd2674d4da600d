import type { ColumnType } from 'kysely';

/** Column types shared by the table definitions: what a select returns, an insert takes, an update takes. */
export type CreatedAt = ColumnType<Date, Date | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type Json<T> = ColumnType<T, string, string>;
