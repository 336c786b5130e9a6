import { EntityManager } from 'typeorm';
import { badInput } from './errors';

/** BAD_USER_INPUT naming `field` unless every id in `ids` is a row of `table`. */
export async function assertAllExist(
  em: EntityManager,
  table: 'organisations' | 'users',
  ids: string[],
  field: string,
): Promise<void> {
  if (!ids.length) return;
  const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1)`, [ids]);
  if (n !== new Set(ids).size) throw badInput(`Unknown id in ${field}`, field);
}
