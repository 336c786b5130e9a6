import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Tlp } from '../common/tlp';
import { Certainty, InformationCredibility, Severity, SourceReliability, Urgency } from './bulletin-enums';
import { BulletinCategory } from '../common/categories';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/**
 * An alert bulletin as it stands now (its latest published version, or the draft). Property names are
 * the field names the sharing rules' conditions use (sharing/ability.factory.ts).
 */
@ObjectType()
@PersonalData({
  purpose: 'Insider-threat alerts between port actors; the text may name or describe people',
  recipients: "The bulletin's readers, as its TLP and sharing rules admit them",
  retention: RETENTION.bulletin,
  personal: {
    author_user_id: PersonalDataCategory.BULLETIN_CONTENT,
    title: PersonalDataCategory.BULLETIN_CONTENT,
    summary: PersonalDataCategory.BULLETIN_CONTENT,
    body: PersonalDataCategory.BULLETIN_CONTENT,
    search: PersonalDataCategory.BULLETIN_CONTENT,
    recipient_user_ids: PersonalDataCategory.BULLETIN_CONTENT,
    retraction_reason: PersonalDataCategory.BULLETIN_CONTENT,
  },
  other: [
    'id',
    'organisation_id',
    'status',
    'version',
    'category',
    'severity',
    'urgency',
    'certainty',
    'ports',
    'tlp',
    'recipient_organisation_ids',
    'valid_until',
    'listed_at',
    'published_at',
    'retracted_at',
    'created_at',
    'updated_at',
    'source_reliability',
    'information_credibility',
    'show_recipients',
    'respond_within_minutes',
    'response_due_at',
    'author_machine_client_id',
  ],
})
@Entity('bulletins')
export class Bulletin {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  authorOrganisationId: string;

  /** Null only on a draft a machine client posted, until an analyst takes it over (edits or publishes it). */
  @Column({ name: 'author_user_id', type: 'uuid', nullable: true })
  authorUserId: string | null;

  @Column({ name: 'author_machine_client_id', type: 'uuid', nullable: true })
  authorMachineClientId: string | null;

  /** DRAFT, PUBLISHED or RETRACTED; GraphQL `status` adds EXPIRED. */
  @Column({ type: 'text' })
  status: 'DRAFT' | 'PUBLISHED' | 'RETRACTED';

  @Field(() => Int, { description: '0 while a draft; 1 on publication, +1 per revision' })
  @Column({ type: 'int' })
  version: number;

  @Field()
  @Column({ type: 'text' })
  title: string;

  @Field()
  @Column({ type: 'text' })
  summary: string;

  @Field({ description: 'Markdown' })
  @Column({ type: 'text' })
  body: string;

  @Field(() => BulletinCategory)
  @Column({ type: 'text' })
  category: BulletinCategory;

  @Field(() => Severity)
  @Column({ type: 'text' })
  severity: Severity;

  @Field(() => Urgency)
  @Column({ type: 'text' })
  urgency: Urgency;

  @Field(() => Certainty)
  @Column({ type: 'text' })
  certainty: Certainty;

  @Field(() => [String])
  @Column({ type: 'text', array: true })
  ports: string[];

  @Field(() => SourceReliability)
  @Column({ name: 'source_reliability', type: 'text' })
  sourceReliability: SourceReliability;

  @Field(() => InformationCredibility)
  @Column({ name: 'information_credibility', type: 'text' })
  informationCredibility: InformationCredibility;

  @Field({ description: 'Whether recipient organisations see each other (chosen by the author; hidden by default)' })
  @Column({ name: 'show_recipients', type: 'boolean' })
  showRecipients: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Recipient organisations are asked to respond within this many minutes of publication',
  })
  @Column({ name: 'respond_within_minutes', type: 'int', nullable: true })
  respondWithinMinutes: number | null;

  @Field(() => Date, { nullable: true, description: 'The deadline for responses, set when published' })
  @Column({ name: 'response_due_at', type: 'timestamptz', nullable: true })
  responseDueAt: Date | null;

  @Field(() => Tlp)
  @Column({ type: 'text' })
  tlp: Tlp;

  /** Shown to the author organisation only (BulletinsResolver): recipients do not learn of each other. */
  @Column({ name: 'recipient_organisation_ids', type: 'uuid', array: true })
  recipientOrganisationIds: string[];

  @Column({ name: 'recipient_user_ids', type: 'uuid', array: true })
  recipientUserIds: string[];

  @Field(() => Date, { nullable: true })
  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @Column({ name: 'listed_at', type: 'timestamptz' })
  listedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'retracted_at', type: 'timestamptz', nullable: true })
  retractedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'retraction_reason', type: 'text', nullable: true })
  retractionReason: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Full-text index over title, summary and body, generated by Postgres (migration SharingAndBulletins). */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  search: string | null;
}
