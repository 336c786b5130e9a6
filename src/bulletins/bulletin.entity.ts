import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Tlp } from '../sharing/tlp';
import { BulletinCategory, Certainty, Severity, Urgency } from './bulletin-enums';

/**
 * An alert bulletin as it stands now (its latest published version, or the draft). Property names are
 * the field names the sharing rules' conditions use (sharing/ability.factory.ts).
 */
@ObjectType()
@Entity('bulletins')
export class Bulletin {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  authorOrganisationId: string;

  @Column({ name: 'author_user_id', type: 'uuid' })
  authorUserId: string;

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
}
