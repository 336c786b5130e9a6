import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { Connection, ConnectionType } from '../common/pagination';
import { AuditQueriesService } from './audit-queries.service';
import { AuditEventsArgs } from './dto/audit.inputs';
import { AuditEvent } from './dto/audit.types';
import { Checks } from '../sharing/checks';

const AuditEventConnection = ConnectionType(AuditEvent);

@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly queries: AuditQueriesService) {}

  @Checks('read', 'AuditEvent', 'Only organisation admins read the audit trail')
  @Query(() => AuditEventConnection, {
    description:
      "Organisation admins: the organisation's own events and those of others on its objects (who read or acknowledged its bulletins), newest first.",
  })
  auditEvents(@CurrentActor() actor: Actor, @Args() args: AuditEventsArgs): Promise<Connection<AuditEvent>> {
    return this.queries.list(actor, args);
  }
}
