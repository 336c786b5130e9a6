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
export class SealedValueCount {
  @Field({
    description:
      'What is sealed or keyed: totp, totpPending, webhookSecret, providerClientSecret, providerSigningKey, idpRefresh, vettingDataKey, vettingPseudonym, receiptLookup',
  })
  kind: string;

  @Field(() => Int, { description: 'Values still under a key a rotation replaced (or of unknown key)' })
  pending: number;

  @Field(() => Int)
  total: number;
}

@ObjectType()
export class KeyRotationState {
  @Field({ description: 'ENCRYPTION_KEY or VETTING_PSEUDONYM_KEY' })
  key: string;

  @Field({ description: "The current key's id (what values sealed under it record; nothing of the key)" })
  currentKeyId: string;

  @Field(() => [String], { description: 'Ids of the keys a rotation replaced, still configured for reading' })
  previousKeyIds: string[];

  @Field(() => [SealedValueCount], {
    description:
      'Progress of the rotation job: a previous key may be removed once nothing is pending. Receipt lookups move only when their reporter comes back.',
  })
  values: SealedValueCount[];
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

  @Field(() => [KeyRotationState], { description: 'The keys that seal data at rest, and how far their rotation is' })
  keys: KeyRotationState[];
}
