import { Field, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IndicatorType } from './indicators';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

@ObjectType('Indicator')
@PersonalData({
  purpose: 'Values to match across bulletins (phone numbers, e-mail addresses, IBANs may name people)',
  recipients: "The bulletin's readers, as its TLP and sharing rules admit them",
  retention: RETENTION.bulletin,
  personal: { value: PersonalDataCategory.BULLETIN_CONTENT, search_key: PersonalDataCategory.BULLETIN_CONTENT },
  other: ['id', 'bulletin_id', 'organisation_id', 'type'],
})
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
