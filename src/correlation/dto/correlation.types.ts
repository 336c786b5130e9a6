import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Bulletin } from '../../bulletins/bulletin.entity';
import { IndicatorType } from '../../bulletins/indicators';
import { CorrelationKind } from '../../bulletins/bulletin-events.service';

registerEnumType(CorrelationKind, {
  name: 'CorrelationKind',
  description: 'BULLETIN: a later bulletin shares values; SIGHTING: a shared value was sighted',
});

@ObjectType()
export class SharedIndicator {
  @Field(() => IndicatorType)
  type: IndicatorType;

  @Field()
  value: string;
}

@ObjectType({ description: 'Another bulletin you may read that shares indicators with this one' })
export class RelatedBulletin {
  @Field(() => Bulletin)
  bulletin: Bulletin;

  @Field(() => [SharedIndicator], { description: 'The values both hold (exclusions left out)' })
  shared: SharedIndicator[];
}

@ObjectType({ description: 'A later bulletin, or a sighting on one, that relates to a bulletin you wrote' })
export class CorrelationNotice {
  @Field(() => ID)
  id: string;

  @Field(() => CorrelationKind)
  kind: CorrelationKind;

  @Field(() => Bulletin, { description: 'Yours' })
  bulletin: Bulletin;

  @Field(() => Bulletin, { description: 'The one that relates to it' })
  related: Bulletin;

  @Field(() => [SharedIndicator])
  shared: SharedIndicator[];

  @Field()
  createdAt: Date;

  @Field()
  seen: boolean;
}
