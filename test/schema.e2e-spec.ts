import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from './helpers/test-app';

const FILE = join(__dirname, '..', 'schema.graphql');

describe('schema.graphql', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is committed and matches the code (npm run schema:emit rewrites it)', () => {
    const printed = `${printSchema(t.app.get(GraphQLSchemaHost).schema)}\n`;
    if (process.env.UPDATE_SCHEMA) writeFileSync(FILE, printed);
    expect(readFileSync(FILE, 'utf8')).toBe(printed);
  });
});

describe('entities', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('exist for every table the migrations create, and declare exactly its columns, types and nullability', async () => {
    const rows: { table_name: string; column_name: string; udt_name: string; is_nullable: string }[] =
      await t.dataSource.query(
        `SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable
           FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_schema, table_name)
          WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'migrations'
          ORDER BY c.table_name, c.column_name`,
      );
    const describe = (table: string, column: string, udt: string, nullable: boolean) =>
      `${table}.${column} ${udt}${nullable ? ' null' : ''}`;
    const inDatabase = rows.map((r) => describe(r.table_name, r.column_name, r.udt_name, r.is_nullable === 'YES'));
    // TypeORM's names for the types, as Postgres reports them (an array column is `_` + element type).
    const UDT: Record<string, string> = {
      integer: 'int4',
      int: 'int4',
      bigint: 'int8',
      boolean: 'bool',
      smallint: 'int2',
      'timestamp with time zone': 'timestamptz',
    };
    const declared = t.dataSource.entityMetadatas.flatMap((entity) =>
      entity.columns.map((c) => {
        const type = typeof c.type === 'string' ? c.type : c.type.name.toLowerCase();
        const udt = UDT[type] ?? type;
        return describe(entity.tableName, c.databaseName, c.isArray ? `_${udt}` : udt, c.isNullable);
      }),
    );
    expect(declared.sort()).toEqual(inDatabase.sort());
  });
});
