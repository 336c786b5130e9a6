import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor, HeavyWork } from '../common/decorators';
import { OrganisationRef } from '../common/dto/organisation-ref.types';
import { Connection } from '../common/pagination';
import {
  ChangeVettingStatusArgs,
  CheckVettingStatusArgs,
  RecordEmploymentEndArgs,
  RecordVettingArgs,
  RenewVettingArgs,
  SetVettingRetentionArgs,
  VettingRecordIdArgs,
  VettingRecordsArgs,
  VettingSubjectKeyInput,
} from './dto/vetting.inputs';
import {
  CrossMatchHit,
  VettingRecordConnection,
  VettingRecordView,
  VettingRetention,
  VettingStatusChange,
  VettingStatusCheck,
} from './dto/vetting.types';
import { VettingQueriesService } from './vetting-queries.service';
import { VettingService } from './vetting.service';
import { Checks, ChecksEach } from '../common/checks';

@Resolver(() => VettingRecordView)
export class VettingResolver {
  constructor(
    private readonly vetting: VettingService,
    private readonly queries: VettingQueriesService,
  ) {}

  @Checks(
    'create',
    'VettingRecord',
    'Only analysts and admins of a port authority, police or customs record vetting statuses',
  )
  @Mutation(() => VettingRecordView, { description: 'For analysts and admins of a port authority, police or customs.' })
  recordVetting(@CurrentActor() actor: Actor, @Args() { input }: RecordVettingArgs): Promise<VettingRecordView> {
    return this.vetting.record(actor, input);
  }

  @ChecksEach('update', 'VettingRecord', 'Only the vetting authority changes a vetting status')
  @Mutation(() => VettingRecordView)
  changeVettingStatus(@CurrentActor() actor: Actor, @Args() args: ChangeVettingStatusArgs): Promise<VettingRecordView> {
    return this.vetting.changeStatus(actor, args);
  }

  @ChecksEach('update', 'VettingRecord', 'Only the vetting authority renews a vetting')
  @Mutation(() => VettingRecordView)
  renewVetting(@CurrentActor() actor: Actor, @Args() args: RenewVettingArgs): Promise<VettingRecordView> {
    return this.vetting.renew(actor, args);
  }

  @ChecksEach('update', 'VettingRecord', 'Only the vetting authority records the end of employment')
  @Mutation(() => VettingRecordView, {
    description: 'The subject left the employer: the retention period runs from that day as from an expiry.',
  })
  recordEmploymentEnd(@CurrentActor() actor: Actor, @Args() args: RecordEmploymentEndArgs): Promise<VettingRecordView> {
    return this.vetting.recordEmploymentEnd(actor, args);
  }

  @Checks('readRestricted', 'VettingRecord', "Only a vetting authority's analysts and admins see its retention rule")
  @Query(() => VettingRetention, {
    description: "The vetting authority's retention rule for ended records, and what it purged.",
  })
  vettingRetention(@CurrentActor() actor: Actor): Promise<VettingRetention> {
    return this.vetting.retention(actor);
  }

  @Checks('manageRetention', 'VettingRecord', "Only a vetting authority's admins set its retention rule")
  @Mutation(() => VettingRetention, {
    description: 'Organisation admins of a vetting authority: how long ended records are kept before the daily purge.',
  })
  setVettingRetention(
    @CurrentActor() actor: Actor,
    @Args() { days }: SetVettingRetentionArgs,
  ): Promise<VettingRetention> {
    return this.vetting.setRetention(actor, days);
  }

  @ChecksEach('read', 'VettingRecord', 'Only analysts and organisation admins read vetting records')
  @Query(() => VettingRecordConnection, { description: "Records the caller's organisation vetted or employs." })
  vettingRecords(
    @CurrentActor() actor: Actor,
    @Args() args: VettingRecordsArgs,
  ): Promise<Connection<VettingRecordView>> {
    return this.queries.list(actor, args);
  }

  @ChecksEach('read', 'VettingRecord', 'Only analysts and organisation admins read vetting records')
  @Query(() => VettingRecordView)
  vettingRecord(@CurrentActor() actor: Actor, @Args() { id }: VettingRecordIdArgs): Promise<VettingRecordView> {
    return this.queries.read(actor, id);
  }

  @Checks('check', 'VettingRecord', 'Members of an organisation check badges')
  @Query(() => VettingStatusCheck, {
    description: 'A badge check: status and validity only. Unknown and not permitted are the same NOT_FOUND.',
  })
  checkVettingStatus(@CurrentActor() actor: Actor, @Args() args: CheckVettingStatusArgs): Promise<VettingStatusCheck> {
    return this.queries.check(actor, args);
  }

  @Checks('crossMatch', 'VettingRecord', 'Only analysts and admins of a vetting authority cross-match subjects')
  @HeavyWork()
  @Query(() => [CrossMatchHit], {
    description: 'Up to 1,000 subjects: which another authority refused, revoked or suspended, and whom to contact.',
  })
  crossMatchSubjects(
    @CurrentActor() actor: Actor,
    // A list argument, not an args class: class-transformer would copy a thousand subjects for nothing
    // (each is checked once, by normaliseSubject); the service checks the count.
    @Args('subjects', { type: () => [VettingSubjectKeyInput] }) subjects: VettingSubjectKeyInput[],
  ): Promise<CrossMatchHit[]> {
    return this.queries.crossMatch(actor, subjects);
  }

  @ResolveField(() => OrganisationRef)
  vettingAuthority(@Parent() record: VettingRecordView): Promise<OrganisationRef> {
    return this.queries.organisation(record.organisationId);
  }

  @ResolveField(() => OrganisationRef)
  employerOrganisation(@Parent() record: VettingRecordView): Promise<OrganisationRef> {
    return this.queries.organisation(record.employerOrganisationId);
  }

  @ResolveField(() => [VettingStatusChange])
  history(@Parent() record: VettingRecordView): Promise<VettingStatusChange[]> {
    return this.queries.history(record);
  }
}
