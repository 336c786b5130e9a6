import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Max, Min } from 'class-validator';
import { BulletinCategory } from '../../common/categories';
import { IndicatorType } from '../indicators';

@ArgsType()
export class DashboardArgs {
  @Field(() => Int, { defaultValue: 12, description: 'How many weeks back, this one included' })
  @Min(1)
  @Max(52)
  weeks: number = 12;
}

@ObjectType()
export class CategoryCount {
  @Field(() => BulletinCategory)
  category: BulletinCategory;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class DashboardWeek {
  @Field({ description: 'Monday 00:00 UTC' })
  weekStart: Date;

  @Field(() => [CategoryCount], { description: 'Categories with bulletins that week' })
  byCategory: CategoryCount[];
}

@ObjectType()
export class PortActivity {
  @Field({ description: 'UN/LOCODE' })
  port: string;

  @Field(() => Int, { description: 'Bulletins naming the port' })
  bulletins: number;

  @Field(() => Int, { description: 'Sightings recorded at the port, on bulletins you may read' })
  sightings: number;
}

@ObjectType()
export class AcknowledgementRate {
  @Field(() => Int, { description: "Your organisation's bulletins that named recipient organisations" })
  bulletins: number;

  @Field(() => Int, { description: 'Recipient organisations named, over those bulletins' })
  recipients: number;

  @Field(() => Int, { description: 'Of them, how many acknowledged' })
  acknowledged: number;
}

@ObjectType()
export class DashboardBulletin {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;
}

@ObjectType()
export class DashboardSighting {
  @Field(() => IndicatorType)
  indicatorType: IndicatorType;

  @Field()
  port: string;

  @Field()
  seenAt: Date;

  @Field(() => DashboardBulletin)
  bulletin: DashboardBulletin;
}

@ObjectType({ description: 'Figures of the bulletins you may read, nothing counted that you may not' })
export class Dashboard {
  @Field({ description: 'The first week counted starts here' })
  since: Date;

  @Field(() => [DashboardWeek], { description: 'Every week, oldest first, with or without bulletins' })
  weeks: DashboardWeek[];

  @Field(() => [PortActivity], { description: 'Ports with bulletins or sightings in the period, busiest first' })
  ports: PortActivity[];

  @Field(() => Int, { description: 'Responses asked of your organisation, still open and not yet due' })
  openResponses: number;

  @Field(() => Int, { description: 'Responses asked of your organisation, past their deadline' })
  overdueResponses: number;

  @Field(() => AcknowledgementRate, { description: "Your organisation's bulletins of the period" })
  acknowledgements: AcknowledgementRate;

  @Field(() => [DashboardSighting], { description: 'The 10 most recent sightings of the period' })
  recentSightings: DashboardSighting[];
}
