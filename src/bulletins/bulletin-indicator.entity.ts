import { Field, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IndicatorType } from './indicators';

@ObjectType('Indicator')
@Entity('bulletin_indicators')
export class BulletinIndicator {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Field(() => IndicatorType)
  @Column({ type: 'text' })
  type: IndicatorType;

  @Field({ description: 'Normalised value, e.g. CSQU3054383' })
  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'search_key', type: 'text' })
  searchKey: string;
}
