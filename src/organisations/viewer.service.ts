import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { Membership } from './membership.entity';
import { Organisation } from './organisation.entity';
import type { Actor } from '../common/actor';
import { Viewer } from './dto/viewer.types';
import { User } from '../auth/user.entity';
import { Passkey } from '../auth/passkey.entity';

@Injectable()
export class ViewerService {
  constructor(private readonly db: DatabaseService) {}

  async viewer(actor: Actor): Promise<Viewer> {
    const em = await this.db.em();
    const user = await em.findOneByOrFail(User, { id: actor.userId });
    const memberships = await em.find(Membership, { where: { userId: actor.userId } });
    const orgs = memberships.length
      ? await em
          .getRepository(Organisation)
          .createQueryBuilder('o')
          .whereInIds(memberships.map((m) => m.organisationId))
          .getMany()
      : [];
    const byId = new Map(orgs.map((o) => [o.id, o]));
    return {
      user: {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        totpEnabled: user.totpSecret !== null,
        hasPasskey: (await em.countBy(Passkey, { userId: user.id })) > 0,
      },
      organisation: actor.organisationId ? (byId.get(actor.organisationId) ?? null) : null,
      role: actor.role,
      isPlatformAdmin: actor.isPlatformAdmin,
      passkeyFirst: !!actor.enrolmentOnly,
      memberships: memberships
        .filter((m) => byId.has(m.organisationId))
        .map((m) => ({ organisation: byId.get(m.organisationId)!, role: m.role })),
    };
  }
}
