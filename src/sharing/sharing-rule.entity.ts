import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrganisationType } from '../common/organisation-type';
import { SharingSubject, Tlp } from '../common/tlp';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

@ObjectType()
export class SharingAudience {
  @Field(() => [ID])
  organisationIds: string[];

  @Field(() => [OrganisationType])
  organisationTypes: OrganisationType[];

  @Field(() => [String])
  ports: string[];
}

/**
 * "Share my <subject> of <categories> with <audience> up to <maxTlp> until <validUntil>". Audience kinds
 * combine with AND, values within a kind with OR; an empty kind does not constrain.
 */
@ObjectType()
@PersonalData({
  purpose: 'Who an organisation shares with',
  recipients: "The organisation's admins",
  retention: RETENTION.configuration,
  personal: { created_by: PersonalDataCategory.ACCOUNT },
  other: [
    'id',
    'organisation_id',
    'subject',
    'categories',
    'audience_organisation_ids',
    'audience_organisation_types',
    'audience_ports',
    'max_tlp',
    'valid_until',
    'created_at',
    'updated_at',
  ],
})
@Entity('sharing_rules')
export class SharingRule {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The owner; null for an alliance-wide default rule (platform admins). */
  @Field(() => ID, { nullable: true, description: 'Owner organisation; null for an alliance-wide default rule' })
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Field(() => SharingSubject)
  @Column({ type: 'text' })
  subject: SharingSubject;

  @Field(() => [String], { description: 'Categories shared; empty means all' })
  @Column({ type: 'text', array: true })
  categories: string[];

  @Column({ name: 'audience_organisation_ids', type: 'uuid', array: true })
  audienceOrganisationIds: string[];

  @Column({ name: 'audience_organisation_types', type: 'text', array: true })
  audienceOrganisationTypes: OrganisationType[];

  @Column({ name: 'audience_ports', type: 'text', array: true })
  audiencePorts: string[];

  @Field(() => Tlp)
  @Column({ name: 'max_tlp', type: 'text' })
  maxTlp: Tlp;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
