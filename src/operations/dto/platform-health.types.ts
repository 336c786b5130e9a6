import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class DatabaseHealth {
  @Field({ description: 'Answered a query just now' })
  ok: boolean;

  @Field(() => Float, { description: 'Round trip of that query' })
  latencyMs: number;

  @Field()
  version: string;

  @Field(() => Float)
  sizeBytes: number;
}

@ObjectType()
export class QueueHealth {
  @Field()
  queue: string;

  @Field(() => Int, { description: 'Jobs waiting (created or retrying)' })
  waiting: number;
}

@ObjectType()
export class ServerInstanceView {
  @Field()
  host: string;

  @Field(() => Int)
  pid: number;

  @Field()
  startedAt: Date;

  @Field({ description: 'Its last heartbeat' })
  seenAt: Date;
}

@ObjectType()
export class PlatformHealth {
  @Field()
  checkedAt: Date;

  @Field(() => DatabaseHealth)
  database: DatabaseHealth;

  @Field(() => [QueueHealth], { description: 'The durable outbox, queue by queue' })
  outbox: QueueHealth[];

  @Field(() => Int, { description: 'E-mails that failed after every retry, across the platform' })
  failedDeliveries: number;

  @Field(() => [ServerInstanceView], { description: 'Server processes with a heartbeat in the last 90 seconds' })
  instances: ServerInstanceView[];
}
