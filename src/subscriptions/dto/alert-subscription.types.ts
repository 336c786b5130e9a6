import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Bulletin } from '../../bulletins/bulletin.entity';

@ObjectType({ description: 'What a filter would have brought in the last 30 days, of the bulletins you may read' })
export class AlertFilterPreview {
  @Field(() => Int, { description: 'Bulletins published in the last 30 days that the filter matches' })
  matched: number;

  @Field({ description: 'True when more bulletins were published than the preview examines (the most recent 5,000)' })
  capped: boolean;

  @Field(() => [Bulletin], { description: 'The most recent of them' })
  recent: Bulletin[];
}
