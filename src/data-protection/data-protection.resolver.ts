import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { Actor } from '../common/actor';
import { ChecksEach } from '../common/checks';
import { CurrentActor, SignedIn } from '../common/decorators';
import { Connection, PageArgs } from '../common/pagination';
import { DataProtectionService } from './data-protection.service';
import { DataSubjectRightsService } from './data-subject-rights.service';
import { DataProtectionRegister, RegisterArgs } from './dto/register.types';
import {
  DataSubjectRequestConnection,
  DataSubjectRequestView,
  EraseMemberArgs,
  ErasureOutcome,
  ProcessingLogArgs,
  ProcessingLogConnection,
  ProcessingLogEntry,
} from './dto/rights.types';
import { ProcessingLogService } from './processing-log.service';
import { CheckVettingStatusArgs } from '../vetting/dto/vetting.inputs';
import { VettingRecordView } from '../vetting/dto/vetting.types';

@Resolver()
export class DataProtectionResolver {
  constructor(
    private readonly dataProtection: DataProtectionService,
    private readonly processing: ProcessingLogService,
    private readonly rights: DataSubjectRightsService,
  ) {}

  @ChecksEach(
    'read',
    'DataProtection',
    "Platform administrators, and an organisation's data protection officer for its own",
  )
  @Query(() => DataProtectionRegister, {
    description:
      "The register of processing generated from the code, with an organisation's retention in force and last purges.",
  })
  dataProtectionRegister(
    @CurrentActor() actor: Actor,
    @Args() { organisationId }: RegisterArgs,
  ): Promise<DataProtectionRegister> {
    return this.dataProtection.register(actor, organisationId ?? null);
  }

  @ChecksEach('read', 'ProcessingLog', "The organisation's data protection officer")
  @Query(() => ProcessingLogConnection, {
    description:
      "The organisation's collections, alterations, consultations, disclosures, combinations and erasures (LED art. 25), newest first.",
  })
  processingLog(
    @CurrentActor() actor: Actor,
    @Args() args: ProcessingLogArgs,
  ): Promise<Connection<ProcessingLogEntry>> {
    return this.processing.list(actor, args);
  }

  @ChecksEach('read', 'DataProtection', "The organisation's data protection officer")
  @Query(() => DataSubjectRequestConnection, {
    description: "Data subjects' requests and their answers, newest first.",
  })
  dataSubjectRequests(
    @CurrentActor() actor: Actor,
    @Args() args: PageArgs,
  ): Promise<Connection<DataSubjectRequestView>> {
    return this.rights.requests(actor, args);
  }

  @SignedIn()
  @Query(() => GraphQLJSONObject, {
    description:
      'Everything the platform holds about the caller (GDPR art. 15): account, memberships, sessions, their own audit events, authorship. Never anyone else’s data.',
  })
  myPersonalData(@CurrentActor() actor: Actor): Promise<Record<string, unknown>> {
    return this.rights.personalData(actor);
  }

  @ChecksEach('readRestricted', 'VettingRecord', "A vetting authority's analysts and admins, for its own records")
  @Query(() => [VettingRecordView], {
    description:
      "A vetting subject's access request: every record the caller's authority holds on the subject, in full (none: it holds nothing).",
  })
  vettingSubjectAccess(
    @CurrentActor() actor: Actor,
    @Args() args: CheckVettingStatusArgs,
  ): Promise<VettingRecordView[]> {
    return this.rights.vettingSubjectAccess(actor, args);
  }

  @ChecksEach('erase', 'Membership', 'Organisation admins erase their own members')
  @Mutation(() => ErasureOutcome, {
    description:
      'An erasure request (GDPR art. 17): removes the member; once they belong nowhere, pseudonymises the account. Says what happened to each category.',
  })
  eraseMember(@CurrentActor() actor: Actor, @Args() { userId }: EraseMemberArgs): Promise<ErasureOutcome> {
    return this.rights.eraseMember(actor, userId);
  }
}
