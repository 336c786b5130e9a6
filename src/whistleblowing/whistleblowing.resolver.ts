import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Public } from '../auth/decorators';
import { OrganisationRef } from '../auth/dto/auth.types';
import { Connection } from '../common/pagination';
import { CaseHandling, CaseSummary, IntakeSettings } from './case-handling.service';
import {
  AcceptReportsArgs, CaseIdArgs, ReceiptArgs, ReferCaseArgs, ReplyToReporterArgs, ReportChallenge, ReporterReplyArgs, ReporterView,
  ReportReceipt, SetCaseHandlerArgs, SetCaseStatusArgs, SubmitReportArgs, WhistleblowerCase, WhistleblowerCaseConnection,
  WhistleblowerCasesArgs, WhistleblowerCaseSummary, WhistleblowerIntake,
} from './dto/whistleblowing.types';
import { ReportIntake } from './report-intake.service';

type GqlContext = { req: Request };

/**
 * Reporters (public: no account, nothing about them kept; the client address only feeds in-memory
 * throttles under a daily salt) and case handlers.
 */
@Resolver()
export class WhistleblowingResolver {
  constructor(
    private readonly intake: ReportIntake,
    private readonly cases: CaseHandling,
  ) {}

  @Public()
  @Query(() => [OrganisationRef], { description: 'Organisations that accept whistleblower reports' })
  reportRecipients(): Promise<OrganisationRef[]> {
    return this.intake.recipients();
  }

  @Public()
  @Query(() => ReportChallenge, { description: 'The proof of work a submission must carry (against floods)' })
  reportChallenge(): ReportChallenge {
    return { challenge: this.intake.cost.issue('pow'), difficulty: this.intake.cost.bits };
  }

  @Public()
  @Mutation(() => ReportReceipt)
  async submitReport(@Context() { req }: GqlContext, @Args() { input }: SubmitReportArgs): Promise<ReportReceipt> {
    this.intake.cost.spend('pow', input.challenge, input.proof, 'challenge');
    return { receipt: await this.intake.submit(req.ip, input) };
  }

  @Public()
  @Query(() => ReporterView, { description: 'The reporter\'s view of their case. A wrong receipt: NOT_FOUND, throttled per client.' })
  reportByReceipt(@Context() { req }: GqlContext, @Args() { receipt }: ReceiptArgs): Promise<ReporterView> {
    return this.intake.view(req.ip, receipt);
  }

  @Public()
  @Mutation(() => ReporterView)
  replyAsReporter(@Context() { req }: GqlContext, @Args() { receipt, body }: ReporterReplyArgs): Promise<ReporterView> {
    return this.intake.reply(req.ip, receipt, body);
  }

  @Query(() => WhistleblowerIntake, { description: 'Organisation admins' })
  whistleblowerIntake(@CurrentActor() actor: Actor): Promise<IntakeSettings> {
    return this.cases.settings(actor);
  }

  @Mutation(() => WhistleblowerIntake, { description: 'Organisation admins. The first opening creates the case key and returns its recovery key once.' })
  acceptWhistleblowerReports(@CurrentActor() actor: Actor, @Args() { accept, retentionDays }: AcceptReportsArgs): Promise<IntakeSettings> {
    return this.cases.acceptReports(actor, accept, retentionDays);
  }

  @Mutation(() => WhistleblowerIntake, { description: 'Organisation admins designate case handlers among analysts and admins.' })
  setCaseHandler(@CurrentActor() actor: Actor, @Args() { userId, handler, recoveryKey }: SetCaseHandlerArgs): Promise<IntakeSettings> {
    return this.cases.setHandler(actor, userId, handler, recoveryKey);
  }

  @Query(() => WhistleblowerCaseConnection, { description: 'Case handlers: the organisation\'s cases, newest first (no content).' })
  whistleblowerCases(@CurrentActor() actor: Actor, @Args() { first, after, filter }: WhistleblowerCasesArgs): Promise<Connection<CaseSummary>> {
    return this.cases.list(actor, first, after, filter?.status);
  }

  @Query(() => WhistleblowerCase, { description: 'Case handlers; every read is audited.' })
  whistleblowerCase(@CurrentActor() actor: Actor, @Args() { id }: CaseIdArgs) {
    return this.cases.read(actor, id);
  }

  @Mutation(() => WhistleblowerCaseSummary)
  replyToReporter(@CurrentActor() actor: Actor, @Args() { caseId, body }: ReplyToReporterArgs): Promise<CaseSummary> {
    return this.cases.reply(actor, caseId, body);
  }

  @Mutation(() => WhistleblowerCaseSummary)
  setCaseStatus(@CurrentActor() actor: Actor, @Args() { caseId, status, note }: SetCaseStatusArgs): Promise<CaseSummary> {
    return this.cases.setStatus(actor, caseId, status, note);
  }

  @Mutation(() => WhistleblowerCaseSummary, { description: 'Re-encrypts the case to another organisation that accepts reports (e.g. customs to police).' })
  referCase(@CurrentActor() actor: Actor, @Args() { caseId, organisationId }: ReferCaseArgs): Promise<CaseSummary> {
    return this.cases.refer(actor, caseId, organisationId);
  }
}
