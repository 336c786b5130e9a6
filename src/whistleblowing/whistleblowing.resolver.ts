import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Bulletin } from '../bulletins/bulletin.entity';
import type { Actor } from '../common/actor';
import { CurrentActor, Public } from '../common/decorators';
import { OrganisationRef } from '../common/dto/organisation-ref.types';
import { Connection } from '../common/pagination';
import { CaseHandlingService, DatedCase, IntakeSettings } from './case-handling.service';
import {
  DraftFromCaseArgs,
  AcceptReportsArgs,
  CaseIdArgs,
  ReceiptArgs,
  ReferCaseArgs,
  ReplyToReporterArgs,
  ReportChallengeArgs,
  ReporterReplyArgs,
  SetCaseHandlerArgs,
  SetCaseStatusArgs,
  SubmitReportArgs,
  WhistleblowerCasesArgs,
} from './dto/whistleblowing.inputs';
import {
  ReportChallenge,
  ReporterView,
  ReportReceipt,
  WhistleblowerCase,
  WhistleblowerCaseConnection,
  WhistleblowerCaseSummary,
  WhistleblowerIntake,
} from './dto/whistleblowing.types';
import { IntakeGuardService, IntakePurpose } from './intake-guard.service';
import { ReportIntakeService } from './report-intake.service';
import { Checks, ChecksEach } from '../common/checks';

/** Reporters (public: no account, nothing about them kept, not even their address) and case handlers. */
@Resolver()
export class WhistleblowingResolver {
  constructor(
    private readonly intake: ReportIntakeService,
    private readonly guard: IntakeGuardService,
    private readonly cases: CaseHandlingService,
  ) {}

  @Public('anyone (names of accepting organisations)')
  @Query(() => [OrganisationRef], { description: 'Organisations that accept whistleblower reports' })
  reportRecipients(): Promise<OrganisationRef[]> {
    return this.intake.recipients();
  }

  @Public('anyone')
  @Query(() => ReportChallenge, {
    description: 'The proof of work a submission or a look-up by receipt must carry; its difficulty grows under load',
  })
  reportChallenge(@Args() { purpose }: ReportChallengeArgs): Promise<ReportChallenge> {
    return this.guard.issue('pow', purpose);
  }

  @Public('a proof of work')
  @Mutation(() => ReportReceipt)
  async submitReport(@Args() { input }: SubmitReportArgs): Promise<ReportReceipt> {
    await this.guard.spend('pow', IntakePurpose.SUBMIT, input.challenge, input.proof, 'challenge');
    return { receipt: await this.intake.submit(input) };
  }

  @Public('the receipt and a proof of work')
  @Query(() => ReporterView, {
    description: "The reporter's view of their case. A wrong receipt: NOT_FOUND, and look-ups cost more for a while.",
  })
  async reportByReceipt(@Args() { receipt, challenge, proof }: ReceiptArgs): Promise<ReporterView> {
    await this.guard.spend('pow', IntakePurpose.FOLLOW_UP, challenge, proof, 'challenge');
    return this.intake.view(receipt);
  }

  @Public('the receipt and a proof of work')
  @Mutation(() => ReporterView)
  async replyAsReporter(@Args() { receipt, body, challenge, proof }: ReporterReplyArgs): Promise<ReporterView> {
    await this.guard.spend('pow', IntakePurpose.FOLLOW_UP, challenge, proof, 'challenge');
    return this.intake.reply(receipt, body);
  }

  @Checks('update', 'WhistleblowerIntake', 'Only organisation admins manage whistleblower intake')
  @Query(() => WhistleblowerIntake, { description: 'Organisation admins' })
  whistleblowerIntake(@CurrentActor() actor: Actor): Promise<IntakeSettings> {
    return this.cases.settings(actor);
  }

  @Checks('update', 'WhistleblowerIntake', 'Only organisation admins manage whistleblower intake')
  @Mutation(() => WhistleblowerIntake, {
    description: 'Organisation admins. The first opening creates the case key and returns its recovery key once.',
  })
  acceptWhistleblowerReports(
    @CurrentActor() actor: Actor,
    @Args() { accept, retentionDays }: AcceptReportsArgs,
  ): Promise<IntakeSettings> {
    return this.cases.acceptReports(actor, accept, retentionDays);
  }

  @Checks('update', 'WhistleblowerIntake', 'Only organisation admins manage whistleblower intake')
  @Mutation(() => WhistleblowerIntake, {
    description: 'Organisation admins designate case handlers among analysts and admins.',
  })
  setCaseHandler(
    @CurrentActor() actor: Actor,
    @Args() { userId, handler, recoveryKey }: SetCaseHandlerArgs,
  ): Promise<IntakeSettings> {
    return this.cases.setHandler(actor, userId, handler, recoveryKey);
  }

  @Checks('handle', 'WhistleblowerCase', 'Only the case handlers of an organisation read its cases')
  @Query(() => WhistleblowerCaseConnection, {
    description: "Case handlers: the organisation's cases, newest first (no content).",
  })
  whistleblowerCases(
    @CurrentActor() actor: Actor,
    @Args() { first, after, filter }: WhistleblowerCasesArgs,
  ): Promise<Connection<DatedCase>> {
    return this.cases.list(actor, first, after, filter?.status);
  }

  @ChecksEach('handle', 'WhistleblowerCase', 'Only the case handlers of an organisation read its cases')
  @Query(() => WhistleblowerCase, { description: 'Case handlers; every read is audited.' })
  whistleblowerCase(@CurrentActor() actor: Actor, @Args() { id }: CaseIdArgs) {
    return this.cases.read(actor, id);
  }

  @ChecksEach('handle', 'WhistleblowerCase', 'Only the case handlers of an organisation handle its cases')
  @Mutation(() => WhistleblowerCaseSummary)
  replyToReporter(
    @CurrentActor() actor: Actor,
    @Args() { caseId, body, feedback }: ReplyToReporterArgs,
  ): Promise<DatedCase> {
    return this.cases.reply(actor, caseId, body, feedback);
  }

  @ChecksEach('handle', 'WhistleblowerCase', 'Only the case handlers of an organisation handle its cases')
  @Mutation(() => WhistleblowerCaseSummary)
  setCaseStatus(@CurrentActor() actor: Actor, @Args() { caseId, status, note }: SetCaseStatusArgs): Promise<DatedCase> {
    return this.cases.setStatus(actor, caseId, status, note);
  }

  @ChecksEach('handle', 'WhistleblowerCase', 'Only the case handlers of an organisation handle its cases')
  @Mutation(() => WhistleblowerCaseSummary, {
    description: 'Re-encrypts the case to another organisation that accepts reports (e.g. customs to police).',
  })
  referCase(@CurrentActor() actor: Actor, @Args() { caseId, organisationId }: ReferCaseArgs): Promise<DatedCase> {
    return this.cases.refer(actor, caseId, organisationId);
  }
}

@Resolver(() => WhistleblowerCase)
export class WhistleblowerCaseResolver {
  constructor(private readonly cases: CaseHandlingService) {}

  @ChecksEach('handle', 'WhistleblowerCase', 'Only the case handlers of an organisation handle its cases')
  @Mutation(() => Bulletin, {
    description:
      'Case handlers who write bulletins: a draft bulletin (AMBER+STRICT, nothing of the case copied) linked to the case for your organisation only.',
  })
  draftBulletinFromCase(@CurrentActor() actor: Actor, @Args() { caseId }: DraftFromCaseArgs): Promise<Bulletin> {
    return this.cases.draftBulletin(actor, caseId);
  }

  @ResolveField(() => [ID], {
    description: 'Draft or published bulletins started from this case (never shown to the reporter)',
  })
  bulletinIds(@Parent() c: { id: string }): Promise<string[]> {
    return this.cases.bulletinsFrom(c.id);
  }
}

@Resolver(() => Bulletin)
export class CaseBulletinResolver {
  constructor(private readonly cases: CaseHandlingService) {}

  @ResolveField(() => ID, {
    nullable: true,
    description: "The whistleblower case it was drafted from: for that case's organisation's case handlers only",
  })
  sourceCaseId(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<string | null> {
    return this.cases.caseOf(actor, b.id);
  }
}
