import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Severity } from '../bulletins/bulletin-enums';
import { BulletinCategory } from '../common/categories';
import { OrganisationType } from '../common/organisation-type';
import { Tlp } from '../common/tlp';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** An organisation's HTTPS endpoint for bulletin events: the third alert channel beside e-mail and real time. */
@ObjectType()
@PersonalData({
  purpose: "An organisation's webhook endpoints",
  recipients: "The organisation's admins",
  retention: RETENTION.configuration,
  personal: { created_by: PersonalDataCategory.ACCOUNT },
  other: [
    'id',
    'organisation_id',
    'name',
    'url',
    'max_tlp',
    'categories',
    'min_severity',
    'ports',
    'organisation_types',
    'author_organisation_ids',
    'secret_sealed',
    'secret_hint',
    'created_at',
    'rotated_at',
    'deleted_at',
    'last_success_at',
    'last_failure_at',
    'last_error',
    'failing_since',
    'disabled_at',
  ],
})
@Entity('webhooks')
export class Webhook {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field({ description: 'HTTPS only' })
  @Column({ type: 'text' })
  url: string;

  @Field(() => Tlp, { description: 'The highest marking it is told about (never RED: RED names people)' })
  @Column({ name: 'max_tlp', type: 'text' })
  maxTlp: Tlp;

  @Column({ type: 'text', array: true })
  categories: BulletinCategory[];

  @Column({ name: 'min_severity', type: 'text', nullable: true })
  minSeverity: Severity | null;

  @Column({ type: 'text', array: true })
  ports: string[];

  @Column({ name: 'organisation_types', type: 'text', array: true })
  organisationTypes: OrganisationType[];

  @Column({ name: 'author_organisation_ids', type: 'uuid', array: true })
  authorOrganisationIds: string[];

  @Column({ name: 'secret_sealed', type: 'text', select: false })
  secretSealed: string;

  @Field({ description: 'The last four characters of the signing secret, to tell secrets apart' })
  @Column({ name: 'secret_hint', type: 'text' })
  secretHint: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Field()
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Deleted webhooks get nothing more; their deliveries stay listed' })
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_failure_at', type: 'timestamptz', nullable: true })
  lastFailureAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Failing without a success since then (null once a delivery succeeds)',
  })
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Disabled after failing for WEBHOOK_DISABLE_AFTER_HOURS: it gets nothing until an admin enables it',
  })
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Field(() => String, { nullable: true, description: 'What the endpoint answered (or did not) on the last failure' })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}
