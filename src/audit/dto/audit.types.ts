import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination';

@ObjectType()
export class AuditEvent {
  @Field(() => String, { description: 'Position in the chain (1, 2, 3, ...)' })
  seq: string;

  @Field()
  at: Date;

  @Field(() => ID, { nullable: true })
  actorUserId: string | null;

  @Field(() => ID, { nullable: true })
  actorOrganisationId: string | null;

  @Field(() => ID, { nullable: true, description: "The organisation whose object was acted on, if not the actor's" })
  subjectOrganisationId: string | null;

  @Field()
  action: string;

  @Field()
  objectType: string;

  @Field(() => String, { nullable: true })
  objectId: string | null;

  @Field(() => GraphQLJSONObject)
  details: Record<string, unknown>;

  @Field()
  prevHash: string;

  @Field()
  hash: string;
}

@InputType()
export class AuditEventFilter {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  objectType?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  objectId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => AuditEventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditEventFilter)
  filter?: AuditEventFilter;
}
