import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { createTestDatabase, type TestDatabase } from '../test-support/database.ts';

/**
 * The Kysely types are kept by hand (src/db/schema.ts, schema-channels.ts) next to the migrations. This test
 * reads them with the TypeScript compiler and compares them with the migrated database: every table and
 * column on either side exists on the other, with a compatible type and the same nullability. A migration
 * that forgets its types, or a type that drifts from its column, fails here instead of at run time.
 */

/** What a column's value is in JavaScript, as the pg driver returns it (dates and times stay strings). */
type Kind = 'number' | 'string' | 'boolean' | 'Date' | 'json' | 'Buffer' | 'array';

const PG_KINDS: Record<string, Kind> = {
  smallint: 'number',
  integer: 'number',
  // int8 is parsed to a number (src/db/pool.ts).
  bigint: 'number',
  'double precision': 'number',
  text: 'string',
  'character varying': 'string',
  date: 'string',
  'time without time zone': 'string',
  boolean: 'boolean',
  'timestamp with time zone': 'Date',
  jsonb: 'json',
  bytea: 'Buffer',
  ARRAY: 'array',
  // Transaction ids (pg_current_xact_id()): parsed as text.
  xid8: 'string',
};

/** Kysely's own bookkeeping, not ours. */
const NOT_OURS = new Set(['kysely_migration', 'kysely_migration_lock']);

interface TypedColumn {
  kinds: Set<Kind | 'other'>;
  nullable: boolean;
  text: string;
}

/** Table → column → the select type of the column in the DB interface. */
function typedSchema(): Map<string, Map<string, TypedColumn>> {
  const file = path.join(import.meta.dirname, 'schema.ts');
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  assert.ok(source, 'src/db/schema.ts not found');
  const dbDecl = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'DB',
  );
  assert.ok(dbDecl, 'interface DB not found in src/db/schema.ts');
  const tables = new Map<string, Map<string, TypedColumn>>();
  for (const table of checker.getTypeAtLocation(dbDecl).getProperties()) {
    const columns = new Map<string, TypedColumn>();
    const tableType = checker.getTypeOfSymbolAtLocation(table, dbDecl);
    for (const column of tableType.getProperties()) {
      const type = checker.getTypeOfSymbolAtLocation(column, dbDecl);
      // ColumnType<Select, Insert, Update> (Generated<T>, `Timestamp | null` too): what a select returns.
      const parts = (type.isUnion() ? type.types : [type]).flatMap((part) => {
        const selected = part.getProperty('__select__');
        if (!selected) {
          return [part];
        }
        const s = checker.getTypeOfSymbolAtLocation(selected, dbDecl);
        return s.isUnion() ? s.types : [s];
      });
      columns.set(column.name, {
        kinds: new Set(parts.filter((p) => !(p.flags & ts.TypeFlags.Null)).map((p) => kindOf(checker, p))),
        nullable: parts.some((p) => p.flags & ts.TypeFlags.Null),
        text: checker.typeToString(type),
      });
    }
    tables.set(table.name, columns);
  }
  return tables;
}

function kindOf(checker: ts.TypeChecker, t: ts.Type): Kind | 'other' {
  if (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) {
    return 'number';
  }
  if (t.flags & ts.TypeFlags.StringLike) {
    return 'string';
  }
  if (t.flags & ts.TypeFlags.BooleanLike) {
    return 'boolean';
  }
  if (checker.isArrayType(t)) {
    return 'array';
  }
  const name = t.getSymbol()?.getName();
  if (name === 'Date' || name === 'Buffer') {
    return name;
  }
  if (t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Unknown | ts.TypeFlags.Any)) {
    return 'json';
  }
  return 'other';
}

/** Whether a column of this PostgreSQL kind may be typed with these TypeScript kinds. */
function compatible(pg: Kind, typed: Set<Kind | 'other'>): boolean {
  if (pg === 'json') {
    // jsonb holds any JSON value: an object, an array, a string, a number.
    return [...typed].every((k) => k !== 'Date' && k !== 'Buffer' && k !== 'other');
  }
  return typed.size > 0 && [...typed].every((k) => k === pg);
}

let db: TestDatabase;
let columns: { table_name: string; column_name: string; data_type: string; is_nullable: 'YES' | 'NO' }[];

before(async () => {
  db = await createTestDatabase({ poolMax: 1 });
  ({ rows: columns } = await db.pool.query(
    `select table_name, column_name, data_type, is_nullable from information_schema.columns
     where table_schema = 'public' order by table_name, ordinal_position`,
  ));
});

after(async () => {
  await db?.drop();
});

describe('the hand-kept Kysely types', () => {
  it('name every migrated table and column, and only those, with compatible types and nullability', () => {
    const typed = typedSchema();
    const problems: string[] = [];
    const migrated = new Map<string, Set<string>>();
    for (const c of columns) {
      if (NOT_OURS.has(c.table_name)) {
        continue;
      }
      migrated.set(c.table_name, (migrated.get(c.table_name) ?? new Set()).add(c.column_name));
      const t = typed.get(c.table_name);
      if (!t) {
        if (migrated.get(c.table_name)!.size === 1) {
          problems.push(`table ${c.table_name} has no type in DB`);
        }
        continue;
      }
      const col = t.get(c.column_name);
      const where = `${c.table_name}.${c.column_name}`;
      if (!col) {
        problems.push(`${where} (${c.data_type}) is missing from the types`);
        continue;
      }
      const kind = PG_KINDS[c.data_type];
      if (!kind) {
        problems.push(`${where}: no JavaScript kind known for ${c.data_type} (add it to PG_KINDS)`);
      } else if (!compatible(kind, col.kinds)) {
        problems.push(`${where}: ${c.data_type} is typed ${col.text}`);
      }
      if ((c.is_nullable === 'YES') !== col.nullable) {
        problems.push(
          `${where}: ${c.is_nullable === 'YES' ? 'nullable' : 'not null'} in the database, typed ${col.text}`,
        );
      }
    }
    for (const [table, cols] of typed) {
      const there = migrated.get(table);
      if (!there) {
        problems.push(`table ${table} is typed but not migrated`);
        continue;
      }
      for (const column of cols.keys()) {
        if (!there.has(column)) {
          problems.push(`${table}.${column} is typed but not migrated`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('tells compatible column types from incompatible ones', () => {
    assert.equal(compatible('Date', new Set(['string'])), false);
    assert.equal(compatible('number', new Set(['number'])), true);
    assert.equal(compatible('json', new Set(['json', 'array'])), true);
  });
});
