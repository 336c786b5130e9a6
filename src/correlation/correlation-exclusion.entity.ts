import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IndicatorType } from '../bulletins/indicators';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A value that correlates with everything, left out of correlation for one organisation or (no organisation) for the platform. */
@ObjectType()
@PersonalData({
  purpose: 'Values the organisation or platform does not correlate',
  recipients: "The organisation's admins; platform administrators",
  retention: RETENTION.configuration,
  personal: {
    value: PersonalDataCategory.BULLETIN_CONTENT,
    search_key: PersonalDataCategory.BULLETIN_CONTENT,
    note: PersonalDataCategory.BULLETIN_CONTENT,
    created_by: PersonalDataCategory.ACCOUNT,
  },
  other: ['id', 'organisation_id', 'type', 'prefix', 'created_at'],
})
@Entity('correlation_exclusions')
export class CorrelationExclusion {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID, { nullable: true, description: 'Null: excluded for the whole platform' })
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Field(() => IndicatorType)
  @Column({ type: 'text' })
  type: IndicatorType;

  @Field({ description: 'Normalised, as the indicators it excludes are stored' })
  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'search_key', type: 'text' })
  searchKey: string;

  @Field({ description: 'Excludes every value that begins with this one (a carrier prefix)' })
  @Column({ type: 'boolean', default: false })
  prefix: boolean;

  @Field()
  @Column({ type: 'text', default: '' })
  note: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
