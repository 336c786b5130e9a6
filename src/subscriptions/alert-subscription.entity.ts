import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Severity } from '../bulletins/bulletin-enums';
import { BulletinCategory } from '../common/categories';
import { OrganisationType } from '../common/organisation-type';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

export enum Channel {
  EMAIL = 'EMAIL',
  REALTIME = 'REALTIME',
}

export enum DeliveryMode {
  IMMEDIATE = 'IMMEDIATE',
  DAILY_DIGEST = 'DAILY_DIGEST',
}

registerEnumType(Channel, { name: 'Channel' });
registerEnumType(DeliveryMode, { name: 'DeliveryMode' });

@ObjectType()
export class AlertFilter {
  @Field(() => [BulletinCategory], { description: 'Empty: every category' })
  categories: BulletinCategory[];

  @Field(() => Severity, { nullable: true })
  minSeverity: Severity | null;

  @Field(() => [String], { description: 'UN/LOCODEs; empty: every port' })
  ports: string[];

  @Field(() => [OrganisationType], { description: "Author organisations' types; empty: any" })
  organisationTypes: OrganisationType[];

  @Field(() => [ID], { description: 'Author organisations; empty: any' })
  authorOrganisationIds: string[];
}

/** A user's standing order for bulletins, in the organisation the user acted for when creating it. */
@ObjectType()
@PersonalData({
  purpose: 'What each member asked to be told about, and how',
  recipients: 'The member',
  retention: RETENTION.preference,
  personal: { user_id: PersonalDataCategory.ACCOUNT },
  other: [
    'id',
    'organisation_id',
    'name',
    'categories',
    'min_severity',
    'ports',
    'organisation_types',
    'author_organisation_ids',
    'channels',
    'mode',
    'created_at',
    'updated_at',
  ],
})
@Entity('alert_subscriptions')
export class AlertSubscription {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Field(() => ID)
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

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

  @Field(() => [Channel])
  @Column({ type: 'text', array: true })
  channels: Channel[];

  @Field(() => DeliveryMode)
  @Column({ type: 'text' })
  mode: DeliveryMode;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
