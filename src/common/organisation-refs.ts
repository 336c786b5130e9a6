import type DataLoader from 'dataloader';
import { OrganisationRef } from '../organisations/dto/organisation.types';
import { DatabaseService } from '../database/database.service';
import { requestLoader } from './request-loaders';

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
