import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { Connection, ConnectionType } from '../common/pagination';
import { AuditQueriesService } from './audit-queries.service';
import { AuditEventsArgs } from './dto/audit-trail.inputs';
import { AuditChainVerification, AuditEvent } from './dto/audit-trail.types';
import { AuditVerificationService } from './audit-verification.service';
import { Checks } from '../common/checks';

const AuditEventConnection = ConnectionType(AuditEvent);

@Resolver(() => AuditEvent)
export class AuditTrailResolver {
  constructor(
    private readonly queries: AuditQueriesService,
    private readonly verification: AuditVerificationService,
  ) {}

  @Checks('read', 'AuditEvent', 'Only organisation admins and platform administrators read the audit trail')
  @Query(() => AuditEventConnection, {
    description:
      "Organisation admins: the organisation's own events and those of others on its objects (who read or acknowledged its bulletins); platform administrators: the whole trail. Newest first.",
  })
  auditEvents(@CurrentActor() actor: Actor, @Args() args: AuditEventsArgs): Promise<Connection<AuditEvent>> {
    return this.queries.list(actor, args);
  }

  @Checks('verify', 'Platform', 'Only platform administrators verify the audit chain')
  @Query(() => AuditChainVerification, {
    nullable: true,
    description: 'Platform administrators: the last verification of the hash chains (null before the first).',
  })
  auditChainStatus(): Promise<AuditChainVerification | null> {
    return this.verification.last();
  }

  @Checks('verify', 'Platform', 'Only platform administrators verify the audit chain')
  @Mutation(() => AuditChainVerification, {
    description: 'Platform administrators: walks every hash chain and signed checkpoint now and keeps the outcome.',
  })
  verifyAuditChain(@CurrentActor() actor: Actor): Promise<AuditChainVerification> {
    return this.verification.verify(actor);
  }
}
