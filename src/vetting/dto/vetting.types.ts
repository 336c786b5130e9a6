import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { OrganisationRef } from '../../organisations/dto/organisation.types';
import { ConnectionType } from '../../common/pagination';
import { VettingLevel, VettingReasonCode, VettingStatus } from '../vetting-enums';

@ObjectType()
export class VettingSubject {
  @Field()
  documentNumber: string;

  @Field()
  issuingCountry: string;

  @Field()
  fullName: string;

  @Field({ description: 'YYYY-MM-DD' })
  dateOfBirth: string;
}

@ObjectType()
export class VettingStatusChange {
  @Field({ description: 'RECORDED, STATUS_CHANGED or RENEWED' })
  kind: string;

  @Field(() => VettingStatus)
  status: VettingStatus;

  @Field(() => Date, { nullable: true })
  validUntil: Date | null;

  @Field()
  changedAt: Date;

  @Field(() => VettingReasonCode, { nullable: true, description: 'Vetting authority only' })
  reasonCode: VettingReasonCode | null;

  @Field(() => String, { nullable: true, description: 'Vetting authority only' })
  note: string | null;

  @Field(() => ID, { nullable: true, description: 'Vetting authority only' })
  changedByUserId: string | null;
}

/** A vetting record as its authority or the employer reads it. */
@ObjectType('VettingRecord')
export class VettingRecordView {
  @Field(() => ID)
  id: string;

  @Field(() => VettingSubject)
  subject: VettingSubject;

  @Field(() => VettingLevel)
  level: VettingLevel;

  @Field(() => VettingStatus, { description: 'EXPIRED once validUntil has passed' })
  status: VettingStatus;

  @Field()
  validFrom: Date;

  @Field(() => Date, { nullable: true })
  validUntil: Date | null;

  @Field(() => VettingReasonCode, { nullable: true, description: 'Vetting authority only' })
  reasonCode: VettingReasonCode | null;

  @Field()
  statusChangedAt: Date;

  @Field()
  createdAt: Date;

  organisationId: string;
  employerOrganisationId: string;
  /** Whether the reader is the vetting authority (restricted fields). */
  restricted: boolean;
}

export const VettingRecordConnection = ConnectionType(VettingRecordView, 'VettingRecord');

/** A badge check's answer: status and validity, never the identity, reason or history. */
@ObjectType()
export class VettingStatusCheck {
  @Field(() => VettingStatus)
  status: VettingStatus;

  @Field(() => VettingLevel)
  level: VettingLevel;

  @Field(() => Date, { nullable: true })
  validUntil: Date | null;

  @Field(() => OrganisationRef)
  vettingAuthority: OrganisationRef;
}

@ObjectType()
export class CrossMatchHit {
  @Field(() => Int, { description: 'Position of the subject in the submitted list (0-based)' })
  index: number;

  @Field(() => VettingStatus, { description: 'REFUSED, REVOKED or SUSPENDED' })
  status: VettingStatus;

  @Field(() => OrganisationRef, { description: 'The authority to contact' })
  contactOrganisation: OrganisationRef;
}
