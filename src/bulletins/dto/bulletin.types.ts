import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OrganisationRef } from '../../common/dto/organisation-ref.types';
import { PageInfo } from '../../common/pagination';
import { AccessReason } from '../../sharing/ability.factory';
import { Tlp } from '../../common/tlp';
import { Bulletin } from '../bulletin.entity';
import { BulletinIndicator } from '../bulletin-indicator.entity';
import { Certainty, InformationCredibility, Severity, SourceReliability, Urgency } from '../bulletin-enums';
import { BulletinCategory } from '../../common/categories';

registerEnumType(AccessReason, { name: 'AccessReason' });

@ObjectType()
export class BulletinVersion {
  @Field(() => Int)
  version: number;

  @Field()
  title: string;

  @Field()
  summary: string;

  @Field()
  body: string;

  @Field(() => BulletinCategory)
  category: BulletinCategory;

  @Field(() => Severity)
  severity: Severity;

  @Field(() => Urgency)
  urgency: Urgency;

  @Field(() => Certainty)
  certainty: Certainty;

  @Field(() => [String])
  ports: string[];

  @Field(() => Tlp)
  tlp: Tlp;

  @Field(() => SourceReliability)
  sourceReliability: SourceReliability;

  @Field(() => InformationCredibility)
  informationCredibility: InformationCredibility;

  @Field(() => Date, { nullable: true })
  validUntil: Date | null;

  @Field(() => [BulletinIndicator])
  indicators: BulletinIndicator[];

  @Field(() => String, { nullable: true })
  changeNote: string | null;

  @Field()
  publishedAt: Date;
}

@ObjectType()
export class Acknowledgement {
  @Field(() => OrganisationRef)
  organisation: OrganisationRef;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field()
  acknowledgedAt: Date;
}

@ObjectType()
export class AccessUser {
  @Field(() => ID)
  id: string;

  @Field()
  displayName: string;
}

@ObjectType({ description: 'Who can see a bulletin, and why' })
export class Access {
  @Field(() => OrganisationRef, { nullable: true, description: 'The organisation (null for a TLP:RED named user)' })
  organisation: OrganisationRef | null;

  @Field(() => AccessUser, { nullable: true, description: 'For TLP:RED: the named user (or the author)' })
  user: AccessUser | null;

  @Field(() => AccessReason)
  reason: AccessReason;

  @Field(() => ID, { nullable: true, description: 'The sharing rule, when reason is SHARING_RULE' })
  ruleId: string | null;
}

@ObjectType({ description: 'An organisation (or, for TLP:RED, a user) that would read the bulletin once published' })
export class AudienceEntry extends Access {
  @Field(() => Int, { description: 'Active people it reaches: the members of the organisation, or 1 for a user' })
  people: number;
}

@ObjectType({ description: 'Who exactly would read a bulletin once published, as delivery will decide it' })
export class AudiencePreview {
  @Field(() => [AudienceEntry])
  recipients: AudienceEntry[];

  @Field(() => Int, { description: 'All the people together' })
  people: number;
}

@ObjectType()
export class IndicatorHit {
  @Field(() => Bulletin)
  bulletin: Bulletin;

  @Field(() => BulletinIndicator)
  indicator: BulletinIndicator;
}

@ObjectType()
export class BulletinEdge {
  @Field(() => Bulletin)
  node: Bulletin;

  @Field()
  cursor: string;
}

@ObjectType()
export class BulletinConnection {
  @Field(() => [BulletinEdge])
  edges: BulletinEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  /** Counts all matches; run only when a client asks for totalCount (BulletinConnectionResolver). */
  count: () => Promise<number>;
}
