import { AbilityBuilder, createMongoAbility, MongoAbility } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { MemberRole, OrganisationStatus } from '../organisations/organisation-type';

export type Action = 'manage' | 'create' | 'read' | 'update' | 'delete' | 'suspend' | 'invite';
export type SubjectName = 'Organisation' | 'Membership' | 'Invitation' | 'all';
export type AppAbility = MongoAbility<[Action, SubjectName | Record<string, unknown>]>;

/**
 * The one place that decides who may do what. Rules carry conditions on the subject's fields, so the
 * same ability answers `can(...)` for one object and compiles to SQL for lists (ability-sql.ts).
 */
@Injectable()
export class AbilityFactory {
  abilityFor(actor: Actor): AppAbility {
    const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);

    if (actor.isPlatformAdmin) {
      can(['create', 'read', 'suspend'], 'Organisation');
    }
    if (actor.organisationId) {
      // The directory: every active member organisation sees the others' name, type and ports.
      can('read', 'Organisation', { status: OrganisationStatus.ACTIVE });
      can('read', 'Organisation', { id: actor.organisationId });
      can('read', 'Membership', { organisationId: actor.organisationId });
      if (actor.role === MemberRole.ORG_ADMIN) {
        can(['update', 'delete'], 'Membership', { organisationId: actor.organisationId });
        can(['invite', 'read'], 'Invitation', { organisationId: actor.organisationId });
      }
    }
    return build();
  }
}
