import type DataLoader from 'dataloader';
import { EntityManager, In } from 'typeorm';
import { Organisation } from './organisation.entity';
import { OrganisationType } from '../common/organisation-type';
import { OrganisationRef } from '../common/dto/organisation-ref.types';
import { DatabaseService } from '../database/database.service';
import { requestLoader } from '../common/request-loaders';

/** Organisation names for references (directory data every member may read), batched per request. */
export function organisationRefs(db: DatabaseService): DataLoader<string, OrganisationRef> {
  return requestLoader<string, OrganisationRef>('organisation.ref', async (ids) => {
    const rows: OrganisationRef[] = await (
      await db.em()
    ).query(`SELECT id, name FROM organisations WHERE id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)!);
  });
}

/** Each organisation's type (directory data), for the alert filters that name author types. */
export async function organisationTypes(em: EntityManager, ids: string[]): Promise<Map<string, OrganisationType>> {
  const rows = await em.find(Organisation, { select: { id: true, type: true }, where: { id: In(ids) } });
  return new Map(rows.map((o) => [o.id, o.type]));
}
