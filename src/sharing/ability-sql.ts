import { subject as asSubject } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import type { Condition } from '@ucast/mongo2js';
import type { Action, AppAbility, SubjectName } from './ability.factory';

/** A SQL boolean expression with TypeORM named parameters, for `qb.andWhere(sql, params)`. */
export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Compiles the ability's rules for (action, subject) into a SQL boolean expression, so lists, counts and
 * searches are filtered by Postgres with exactly the rules `can()` applies to single objects.
 * `columns` maps each condition field to a SQL expression, or `{ array }` for an array column, where
 * Mongo semantics apply (`eq` = contains, `in` = overlaps); an unmapped field is a programming error.
 * Parameters are named `<prefix><n>` so several compiled conditions can share one query.
 */
export function abilityToSql(
  ability: AppAbility,
  action: Action,
  subject: SubjectName,
  columns: Record<string, string | { array: string }>,
  prefix = 'ability_',
): SqlCondition {
  const ast = rulesToAST(ability, action, subject);
  const params: Record<string, unknown> = {};
  let count = 0;
  const param = (value: unknown) => {
    const name = `${prefix}${++count}`;
    params[name] = value;
    return `:${name}`;
  };
  const mapped = (field: string) => {
    const expr = columns[field];
    if (!expr) throw new Error(`abilityToSql: no column mapped for field "${field}" of ${subject}`);
    return expr;
  };
  const column = (field: string) => {
    const expr = mapped(field);
    if (typeof expr !== 'string') throw new Error(`abilityToSql: array field "${field}" only supports eq and in`);
    return expr;
  };
  const compile = (node: Condition): string => {
    const c = node as { operator: string; field?: string; value: unknown };
    switch (c.operator) {
      case 'and':
      case 'or': {
        const parts = (c.value as Condition[]).map(compile);
        if (parts.length === 0) return c.operator === 'and' ? 'TRUE' : 'FALSE';
        return `(${parts.join(c.operator === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        // COALESCE: SQL NULL must read as "no match", as in CASL, before negating.
        return `NOT COALESCE(${compile((c.value as Condition[])[0])}, FALSE)`;
      case 'eq':
      case 'in': {
        const expr = mapped(c.field!);
        if (typeof expr !== 'string') {
          return c.operator === 'eq' ? `${param(c.value)} = ANY(${expr.array})` : `${expr.array} && ${param(c.value)}`;
        }
        if (c.operator === 'in') {
          // SQL's `= ANY` never matches NULL, Mongo's $in does: say it explicitly.
          const values = c.value as unknown[];
          const present = values.filter((v) => v !== null);
          const inList = present.length ? `${expr} = ANY(${param(present)})` : 'FALSE';
          return present.length < values.length ? `(${inList} OR ${expr} IS NULL)` : inList;
        }
        return c.value === null ? `${column(c.field!)} IS NULL` : `${column(c.field!)} = ${param(c.value)}`;
      }
      case 'ne':
        return c.value === null ? `${column(c.field!)} IS NOT NULL` : `${column(c.field!)} IS DISTINCT FROM ${param(c.value)}`;
      case 'lte':
        return `${column(c.field!)} <= ${param(c.value)}`;
      case 'gte':
        return `${column(c.field!)} >= ${param(c.value)}`;
      case 'lt':
        return `${column(c.field!)} < ${param(c.value)}`;
      case 'gt':
        return `${column(c.field!)} > ${param(c.value)}`;
      default:
        throw new Error(`abilityToSql: operator "${c.operator}" is not supported`);
    }
  };
  // Parenthesised, so it composes safely with whatever the caller ANDs it with.
  return { sql: ast ? `(${compile(ast)})` : 'FALSE', params };
}

/** `ability.can` on a plain row, typed as `subject`. */
export function canOn(ability: AppAbility, action: Action, subject: SubjectName, row: object): boolean {
  return ability.can(action, asSubject(subject, { ...row }) as never);
}
