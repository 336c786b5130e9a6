import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationStatus, OrganisationType, Sector } from '../common/organisation-type';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

@ObjectType()
@PersonalData({
  purpose: 'The port actors that share information, with their contact person',
  recipients: 'Every member (name, type); platform administrators (contact)',
  retention: RETENTION.organisation,
  personal: {
    contact_name: PersonalDataCategory.CONTACT,
    contact_email: PersonalDataCategory.CONTACT,
    contact_phone: PersonalDataCategory.CONTACT,
  },
  other: [
    'id',
    'name',
    'type',
    'sector',
    'ports',
    'status',
    'suspension_reason',
    'suspended_at',
    'created_at',
    'accepts_whistleblower_reports',
    'whistleblower_retention_days',
    'case_public_key',
    'vetting_retention_days',
    'requires_phishing_resistant',
    'requires_justification',
    'bulletin_retention_days',
    'home_instance_id',
  ],
})
@Entity('organisations')
export class Organisation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'citext' })
  name: string;

  @Field(() => OrganisationType)
  @Column({ type: 'text' })
  type: OrganisationType;

  @Field(() => Sector)
  @Column({ type: 'text' })
  sector: Sector;

  @Field(() => [String], { description: 'UN/LOCODEs of the ports the organisation operates in' })
  @Column({ type: 'text', array: true })
  ports: string[];

  @Field(() => OrganisationStatus)
  @Column({ type: 'text' })
  status: OrganisationStatus;

  @Field(() => String, { nullable: true, description: 'Whom other members contact to follow up' })
  @Column({ name: 'contact_name', type: 'text', nullable: true })
  contactName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'contact_email', type: 'text', nullable: true })
  contactEmail: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'contact_phone', type: 'text', nullable: true })
  contactPhone: string | null;

  @Column({ name: 'suspension_reason', type: 'text', nullable: true })
  suspensionReason: string | null;

  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  @Field({ description: 'Its people sign in with a passkey, or through its provider when one was used there' })
  @Column({ name: 'requires_phishing_resistant', type: 'boolean', default: false })
  requiresPhishingResistant: boolean;

  @Field({
    description:
      'Its members give a justification before opening an AMBER+STRICT or RED bulletin, kept in the processing log (LED art. 25)',
  })
  @Column({ name: 'requires_justification', type: 'boolean', default: false })
  requiresJustification: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "Days its bulletins are kept after they expired or were retracted; null: the platform's default",
  })
  @Column({ name: 'bulletin_retention_days', type: 'int', nullable: true })
  bulletinRetentionDays: number | null;

  /** Set for an organisation of a peer instance (federation): read-only here, no members. */
  @Field(() => ID, { nullable: true, description: 'The peer instance hosting the organisation; null for ours' })
  @Column({ name: 'home_instance_id', type: 'uuid', nullable: true })
  homeInstanceId: string | null;

  /** Whistleblower intake (whistleblowing/case-handling.service.ts): never exposed as GraphQL fields. */
  @Column({ name: 'accepts_whistleblower_reports', type: 'boolean', default: false })
  acceptsWhistleblowerReports: boolean;

  @Column({ name: 'whistleblower_retention_days', type: 'integer', default: 365 })
  whistleblowerRetentionDays: number;

  @Column({ name: 'vetting_retention_days', type: 'integer', default: 730 })
  vettingRetentionDays: number;

  @Column({ name: 'case_public_key', type: 'bytea', nullable: true, select: false })
  casePublicKey: Buffer | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
