import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Bulletin } from '../../bulletins/bulletin.entity';
import { BulletinEventKind } from '../../bulletins/bulletin-events.service';

@ObjectType()
export class BulletinEvent {
  @Field(() => BulletinEventKind)
  kind: BulletinEventKind;

  @Field(() => Bulletin)
  bulletin: Bulletin;

  @Field(() => ID, { description: 'Pass as `after` when subscribing again, to receive what was missed meanwhile' })
  cursor: string;
}
