import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { CaseAttention } from '../case-deadlines';
import { ConnectionType } from '../../common/pagination';
import { CaseStatus, MessageAuthor, ReportCategory } from '../case-enums';

@ObjectType()
export class ReportChallenge {
  @Field({
    description:
      'Spend it, within the hour, with submitReport or (purpose FOLLOW_UP) reportByReceipt / replyAsReporter',
  })
  challenge: string;

  @Field(() => Int, {
    description: 'Find a proof such that SHA-256("<challenge>:<proof>") starts with this many zero bits',
  })
  difficulty: number;
}

@ObjectType()
export class ReportReceipt {
  @Field({ description: 'Shown once: the only way back to the report. Keep it safe and private.' })
  receipt: string;
}

@ObjectType()
export class CaseMessageView {
  @Field(() => MessageAuthor)
  from: MessageAuthor;

  @Field()
  body: string;

  @Field({ description: 'The day only (YYYY-MM-DD): no finer time is kept' })
  at: string;
}

@ObjectType()
export class CaseAttachmentView {
  @Field(() => ID)
  id: string;

  @Field()
  filename: string;

  @Field()
  contentType: string;

  @Field(() => Int)
  size: number;

  @Field()
  addedOn: string;
}

/** What the reporter sees of their case: no handler names, no internal notes. */

@ObjectType()
export class ReporterView {
  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => ReportCategory)
  category: ReportCategory;

  @Field()
  receivedOn: string;

  @Field()
  text: string;

  @Field(() => [CaseMessageView])
  messages: CaseMessageView[];

  @Field(() => [CaseAttachmentView])
  attachments: CaseAttachmentView[];
}

@ObjectType()
export class WhistleblowerCaseSummary {
  @Field(() => ID)
  id: string;

  @Field({
    description: 'A short reference to tell cases apart, such as K7P4-Q2XM: random, nothing about the reporter',
  })
  reference: string;

  @Field(() => ID)
  organisationId: string;

  @Field(() => ReportCategory)
  category: ReportCategory;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field()
  receivedOn: string;

  @Field()
  updatedOn: string;

  @Field({ description: 'The Directive: receipt acknowledged by this day (7 days after receipt)' })
  acknowledgeBy: string;

  @Field(() => String, { nullable: true, description: 'The first reply to the reporter' })
  acknowledgedOn: string | null;

  @Field({
    description:
      'The Directive: feedback by this day (3 months after the acknowledgement, or after the 7 days when none was sent)',
  })
  feedbackBy: string;

  @Field(() => String, { nullable: true, description: 'The first reply marked as feedback' })
  feedbackOn: string | null;

  @Field(() => CaseAttention, { nullable: true, description: 'Overdue or due soon; null when nothing is pending' })
  attention: CaseAttention | null;

  @Field(() => String, {
    nullable: true,
    description: "Closed cases: purged on this day (the organisation's retention)",
  })
  purgeOn: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The report's first words (up to 140 characters), opened for the designated handlers in the inbox",
  })
  excerpt?: string | null;
}

export const WhistleblowerCaseConnection = ConnectionType(WhistleblowerCaseSummary, 'WhistleblowerCase');

@ObjectType()
export class WhistleblowerCase extends WhistleblowerCaseSummary {
  @Field()
  text: string;

  @Field(() => [CaseMessageView], { description: "Including handlers' internal notes (from: NOTE)" })
  messages: CaseMessageView[];

  @Field(() => [CaseAttachmentView], {
    description: 'Download: GET /cases/{caseId}/attachments/{id} with the access token',
  })
  attachments: CaseAttachmentView[];
}

@ObjectType()
export class WhistleblowerIntake {
  @Field()
  accepting: boolean;

  @Field(() => Int)
  retentionDays: number;

  @Field(() => String, {
    nullable: true,
    description: "Only in the answer that created the organisation's case key: write it down, it is never shown again",
  })
  recoveryKey: string | null;

  @Field(() => [ID])
  handlerUserIds: string[];
}
