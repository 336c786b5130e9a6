import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { OrganisationRef } from '../../common/dto/organisation-ref.types';
import { Bulletin } from '../bulletin.entity';
import { BulletinIndicator } from '../bulletin-indicator.entity';
import { ResponseAction, SightingKind } from '../bulletin-enums';
import { AccessUser } from './bulletin.types';

@ObjectType({ description: "A recipient organisation's response: requested by a deadline, or given unasked" })
export class BulletinResponse {
  @Field(() => OrganisationRef)
  organisation: OrganisationRef;

  @Field(() => Date, { nullable: true, description: 'The deadline, when the author asked for a response' })
  dueAt: Date | null;

  @Field({ description: 'Asked for, not given, and past its deadline' })
  overdue: boolean;

  @Field(() => ResponseAction, { nullable: true })
  action: ResponseAction | null;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => Date, { nullable: true })
  respondedAt: Date | null;
}

@ObjectType({ description: 'A response the author organisation asked for and has not had by its deadline' })
export class OverdueResponse {
  @Field(() => Bulletin)
  bulletin: Bulletin;

  @Field(() => OrganisationRef)
  organisation: OrganisationRef;

  @Field()
  dueAt: Date;
}

@ObjectType({ description: 'An indicator of the bulletin seen at a port, or found a false positive' })
export class Sighting {
  @Field(() => ID)
  id: string;

  @Field(() => SightingKind)
  kind: SightingKind;

  @Field(() => BulletinIndicator, { description: 'The indicator as it was sighted' })
  indicator: Pick<BulletinIndicator, 'type' | 'value'>;

  @Field()
  port: string;

  @Field()
  seenAt: Date;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => OrganisationRef, {
    nullable: true,
    description:
      "Who saw it: shown to the author organisation, to the sighting's own organisation, and where the bulletin's recipients are not kept private; null otherwise",
  })
  organisation: OrganisationRef | null;

  @Field({ description: 'Recorded by your organisation' })
  yours: boolean;

  @Field()
  recordedAt: Date;

  /** The bulletin's author: the audit event's subject organisation (AuditInterceptor). */
  authorOrganisationId: string;
}

@ObjectType({ description: 'A person who opened or exported the bulletin (TLP:RED and AMBER+STRICT only)' })
export class ReachPerson {
  @Field(() => AccessUser)
  user: AccessUser;

  @Field(() => Date, { nullable: true })
  openedAt: Date | null;

  @Field(() => Date, { nullable: true })
  exportedAt: Date | null;
}

@ObjectType({ description: 'What one organisation did with a bulletin, from the audit trail' })
export class OrganisationReach {
  @Field(() => OrganisationRef)
  organisation: OrganisationRef;

  @Field(() => Date, { nullable: true, description: 'First opened' })
  openedAt: Date | null;

  @Field(() => Int, { description: 'Times opened' })
  opens: number;

  @Field(() => Date, { nullable: true, description: 'Last exported (STIX or CAP)' })
  exportedAt: Date | null;

  @Field(() => [String], { description: 'The export formats used: STIX, CAP' })
  exportFormats: string[];

  @Field(() => Date, { nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => ResponseAction, { nullable: true })
  response: ResponseAction | null;

  @Field(() => Date, { nullable: true })
  respondedAt: Date | null;

  @Field(() => [ReachPerson], { description: 'Named people, for TLP:RED and AMBER+STRICT only; empty otherwise' })
  people: ReachPerson[];
}
