import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A person's named view of the feed, theirs alone or shared with their organisation. */
@ObjectType({
  description: "A named view of the feed: a person's own, or one a colleague shares with the organisation",
})
@PersonalData({
  purpose: 'Feed searches a member saved',
  recipients: 'The member; the organisation when shared',
  retention: RETENTION.preference,
  personal: { user_id: PersonalDataCategory.ACCOUNT, query: PersonalDataCategory.BULLETIN_CONTENT },
  other: ['id', 'organisation_id', 'name', 'shared', 'created_at', 'updated_at'],
})
@Entity('saved_views')
export class SavedView {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field({
    description:
      "The feed's address parameters: filters (q, tlp, category, severity, port, author, status, reliability, credibility, awaiting), order and cols, as in https://<host>/?tlp=AMBER&order=SEVERITY",
  })
  @Column({ type: 'text' })
  query: string;

  @Field({ description: "Shared with the organisation's members, who open it and may make it their default" })
  @Column({ type: 'boolean' })
  shared: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The view a person's feed opens on, in one organisation. */
@PersonalData({
  purpose: "A member's default feed view",
  recipients: 'The member',
  retention: RETENTION.preference,
  personal: { user_id: PersonalDataCategory.ACCOUNT },
  other: ['organisation_id', 'view_id'],
})
@Entity('saved_view_defaults')
export class SavedViewDefault {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'view_id', type: 'uuid' })
  viewId: string;
}
