import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { OrganisationRef } from '../../common/dto/organisation-ref.types';
import { ConnectionType } from '../../common/pagination';
import { VettingReasonCode, VettingStatus } from '../vetting-enums';
import { VettingLevel } from '../../common/categories';

@ObjectType()
export class VettingSubject {
  @Field()
  documentNumber: string;

  @Field({ description: 'Its last characters only, for screens that must not show the whole number' })
  documentNumberEnding: string;

  @Field()
  issuingCountry: string;

  @Field()
  fullName: string;

  @Field({ description: 'YYYY-MM-DD' })
  dateOfBirth: string;
}

@ObjectType()
export class VettingStatusChange {
  @Field({ description: 'RECORDED, STATUS_CHANGED, RENEWED or EMPLOYMENT_ENDED' })
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

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, when the subject left the employer' })
  employmentEndedOn: string | null;

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

/** A vetting authority's retention rule and what it has purged. */
@ObjectType()
export class VettingRetention {
  @Field(() => Int, { description: 'Days after a record ended until it is purged' })
  days: number;

  @Field(() => Int, { description: 'Records already past it: the next daily purge deletes them' })
  dueNow: number;

  @Field(() => Date, { nullable: true })
  lastPurgedAt: Date | null;

  @Field(() => Int, { description: 'Records the last purge deleted' })
  lastPurged: number;

  @Field(() => Int, { description: 'Records purged under the rule so far' })
  purgedTotal: number;
}
