import { subject as asSubject } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import type { AppAbility } from './ability.factory';
import type { Action, SubjectName } from '../common/checks';

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
  columns: Columns,
  prefix = 'ability_',
): SqlCondition {
  // Abilities are shared between requests (AbilityFactory): compiled once each, never changed after.
  const byColumns = compiled.get(ability) ?? new WeakMap<Columns, Map<string, SqlCondition>>();
  compiled.set(ability, byColumns);
  const conditions = byColumns.get(columns) ?? new Map<string, SqlCondition>();
  byColumns.set(columns, conditions);
  const key = `${action}|${subject}|${prefix}`;
  let condition = conditions.get(key);
  if (!condition) {
    condition = compileToSql(ability, action, subject, columns, prefix);
    Object.freeze(condition.params);
    conditions.set(key, condition);
  }
  return condition;
}

type Columns = Record<string, string | { array: string }>;
const compiled = new WeakMap<AppAbility, WeakMap<Columns, Map<string, SqlCondition>>>();

function compileToSql(
  ability: AppAbility,
  action: Action,
  subject: SubjectName,
  columns: Columns,
  prefix: string,
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
  const compile = (c: AstNode): string => {
    switch (c.operator) {
      case 'and':
      case 'or': {
        const parts = (c.value as AstNode[]).map(compile);
        if (parts.length === 0) return c.operator === 'and' ? 'TRUE' : 'FALSE';
        return `(${parts.join(c.operator === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        // COALESCE: SQL NULL must read as "no match", as in CASL, before negating.
        return `NOT COALESCE(${compile((c.value as AstNode[])[0])}, FALSE)`;
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
        return c.value === null
          ? `${column(c.field!)} IS NOT NULL`
          : `${column(c.field!)} IS DISTINCT FROM ${param(c.value)}`;
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
  return { sql: ast ? `(${compile(mergeAlternatives(ast))})` : 'FALSE', params };
}

/** `ability.can` on a plain row, typed as `subject`. */
export function canOn(ability: AppAbility, action: Action, subject: SubjectName, row: object): boolean {
  return ability.can(action, asSubject(subject, { ...row }) as never);
}

type AstNode = { operator: string; field?: string; value: unknown };

/**
 * (A AND f = x) OR (A AND f = y)  =>  A AND f IN (x, y). One sharing rule is one CASL rule, so an
 * organisation admitted by a hundred rules would otherwise send Postgres a hundred OR branches that
 * differ only in the author organisation. Alternatives merge on the field most of them compare for
 * equality, when everything else about them is identical; on an array field IN means "overlaps",
 * which is the OR of the "contains" it replaces.
 */
export function mergeAlternatives(node: AstNode): AstNode {
  if (node.operator === 'and' || node.operator === 'not') {
    return { ...node, value: (node.value as AstNode[]).map(mergeAlternatives) };
  }
  if (node.operator !== 'or') return node;
  const children = (node.value as AstNode[]).map(mergeAlternatives);
  const partsOf = (child: AstNode) => (child.operator === 'and' ? (child.value as AstNode[]) : [child]);
  const isEquality = (p: AstNode) => p.operator === 'eq' && p.value !== null && typeof p.value !== 'object';
  // Merge on the field most alternatives compare for equality (the author organisation, for bulletins).
  const counts = new Map<string, number>();
  for (const child of children) {
    for (const field of new Set(
      partsOf(child)
        .filter(isEquality)
        .map((p) => p.field!),
    ))
      counts.set(field, (counts.get(field) ?? 0) + 1);
  }
  const field = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const kept: AstNode[] = [];
  const groups = new Map<string, { first: AstNode; rest: AstNode[]; field: string; values: unknown[] }>();
  for (const child of children) {
    const parts = partsOf(child);
    const eqs = parts.filter((p) => isEquality(p) && p.field === field);
    if (eqs.length !== 1) {
      kept.push(child);
      continue;
    }
    const [eq] = eqs;
    const rest = parts.filter((p) => p !== eq);
    const key = rest
      .map((p) => JSON.stringify(p))
      .sort()
      .join('&');
    const group = groups.get(key) ?? { first: child, rest, field: eq.field!, values: [] };
    group.values.push(eq.value);
    groups.set(key, group);
  }
  for (const { first, rest, field, values } of groups.values()) {
    if (values.length === 1) {
      kept.push(first);
      continue;
    }
    const merged: AstNode = { operator: 'in', field, value: values };
    kept.push(rest.length ? { operator: 'and', value: [...rest, merged] } : merged);
  }
  return kept.length === 1 ? kept[0] : { operator: 'or', value: kept };
}
