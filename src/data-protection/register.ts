import type { EntityMetadata } from 'typeorm';
import { PersonalDataCategory, PersonalDataDeclaration, personalDataOf } from '../common/personal-data';

/** One table of the register: its declaration, as its entity makes it. */
export interface RegisterTable extends PersonalDataDeclaration {
  readonly table: string;
  readonly categories: readonly PersonalDataCategory[];
}

/** Kept outside the tables the entities describe; the register states them too. */
export const OUTSIDE_TABLES: readonly { where: string; holds: string; retention: string }[] = [
  {
    where: 'Outbox jobs (schema pgboss)',
    holds:
      "Ids of bulletins, people and organisations to tell, an invitation's token until it is mailed; never a message body",
    retention: 'Finished jobs are archived after 12 hours and deleted 7 days later (pg-boss maintenance)',
  },
  {
    where: 'Mail files (DATA_DIR/mail, only when SMTP_URL is unset)',
    holds: 'Whole e-mails as they would have been sent: addresses, names, bulletin text',
    retention: 'Deleted DELIVERY_RETENTION_DAYS after they were written',
  },
  {
    where: 'Server logs (standard output)',
    holds: 'Request ids, organisation and account ids; never addresses of reporters, tokens or bodies',
    retention: "The deployment's log retention",
  },
];

/** Every entity's table with its declaration, by table name; tables without one are left out (see problems). */
export function registerOf(entities: readonly EntityMetadata[]): RegisterTable[] {
  return entities
    .flatMap((entity) => {
      const declaration = personalDataOf(entity.target as object);
      if (!declaration) return [];
      const categories = [...new Set(Object.values(declaration.personal))].sort();
      return [{ table: entity.tableName, categories, ...declaration }];
    })
    .sort((a, b) => a.table.localeCompare(b.table));
}

/**
 * What the register gets wrong about the database: a table without a declaration, a column declared
 * neither personal nor other (or both), or a declared column the table does not have.
 */
export function registerProblems(
  entities: readonly EntityMetadata[],
  columns: readonly { table_name: string; column_name: string }[],
): string[] {
  const tables = new Map(registerOf(entities).map((t) => [t.table, t]));
  const problems = entities
    .filter((e) => !personalDataOf(e.target as object))
    .map((e) => `${e.tableName}: no @PersonalData declaration`);
  const inDatabase = new Map<string, Set<string>>();
  for (const { table_name, column_name } of columns) {
    if (!inDatabase.has(table_name)) inDatabase.set(table_name, new Set());
    inDatabase.get(table_name)!.add(column_name);
    const t = tables.get(table_name);
    if (!t) continue;
    const personal = column_name in t.personal;
    const other = t.other.includes(column_name);
    if (!personal && !other)
      problems.push(`${table_name}.${column_name}: not declared (personal data of a category, or other)`);
    if (personal && other) problems.push(`${table_name}.${column_name}: declared both personal and other`);
  }
  for (const t of tables.values()) {
    const present = inDatabase.get(t.table) ?? new Set<string>();
    for (const column of [...Object.keys(t.personal), ...t.other])
      if (!present.has(column)) problems.push(`${t.table}.${column}: declared, but the table has no such column`);
  }
  return problems;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/data-protection/register.md: the record of processing, as the code declares it. */
export function registerMarkdown(tables: readonly RegisterTable[]): string {
  const lines = [
    '# Register of processing',
    '',
    '<!-- Generated from the @PersonalData declarations of the entities by test/data-protection.e2e-spec.ts',
    '     (UPDATE_SCHEMA=1, part of `npm run schema:emit`); do not edit by hand. -->',
    '',
    'Every table of the database and what it holds about people (GDPR art. 30, LED art. 24). The legal basis',
    "of each category is the deployment's to state (`LEGAL_BASES`); the platform desk shows it with the",
    'retention in force for an organisation and the last purge.',
    '',
    '## Tables holding personal data',
    '',
    '| Table | Categories | Personal columns | Purpose | Recipients | Retention |',
    '|---|---|---|---|---|---|',
    ...tables
      .filter((t) => t.categories.length > 0)
      .map(
        (t) =>
          `| \`${t.table}\` | ${t.categories.join(', ')} | ${Object.keys(t.personal)
            .map((c) => `\`${c}\``)
            .join(', ')} | ${cell(t.purpose)} | ${cell(t.recipients)} | ${cell(t.retention.rule)} |`,
      ),
    '',
    '## Tables holding none',
    '',
    '| Table | Purpose | Retention |',
    '|---|---|---|',
    ...tables
      .filter((t) => t.categories.length === 0)
      .map((t) => `| \`${t.table}\` | ${cell(t.purpose)} | ${cell(t.retention.rule)} |`),
    '',
    '## Outside the tables',
    '',
    '| Where | What it holds | Retention |',
    '|---|---|---|',
    ...OUTSIDE_TABLES.map((o) => `| ${cell(o.where)} | ${cell(o.holds)} | ${cell(o.retention)} |`),
    '',
  ];
  return lines.join('\n');
}
