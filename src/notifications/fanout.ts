import { EntityManager } from 'typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { organisationTypes } from '../organisations/organisation-refs';
import { DatabaseService } from '../database/database.service';
import { memberIdentity } from '../common/request-context';
import { OrganisationType } from '../common/organisation-type';
import { FanoutJob } from '../bulletins/bulletin-events.service';

/**
 * A fan-out's work (e-mail, webhooks) in one transaction acting as the bulletin's author, who reads it
 * whatever its marking: given the bulletin and its author organisation's type, which filters match on.
 * Nothing happens for a bulletin that is gone.
 */
export function asAuthor(
  db: DatabaseService,
  job: FanoutJob,
  fan: (em: EntityManager, bulletin: Bulletin, authorType: OrganisationType) => Promise<void>,
): Promise<void> {
  return db.withRequest({ identity: memberIdentity(job.authorUserId, job.authorOrganisationId) }, async () => {
    const em = await db.em();
    const bulletin = await em.findOneBy(Bulletin, { id: job.bulletinId });
    if (!bulletin) return;
    const types = await organisationTypes(em, [bulletin.authorOrganisationId]);
    await fan(em, bulletin, types.get(bulletin.authorOrganisationId)!);
  });
}
