import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Tlp } from '../../common/tlp';
import { MachineClient } from '../machine-client.entity';

/** RED names people: no machine reads it. */
export const MACHINE_TLPS = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT];

@InputType()
export class MachineClientInput {
  @Field()
  @IsString()
  @Length(1, 100)
  name: string;

  @Field(() => Tlp, { description: 'The highest marking it reads: CLEAR, GREEN, AMBER or AMBER_STRICT' })
  @IsEnum(Tlp)
  @IsIn(MACHINE_TLPS, { message: 'maxTlp must be CLEAR, GREEN, AMBER or AMBER_STRICT: RED names people' })
  maxTlp: Tlp;

  @Field({ nullable: true, description: 'May also post STIX bundles (TAXII) as drafts for analysts; false unless set' })
  @IsOptional()
  @IsBoolean()
  canWrite?: boolean;

  @Field(() => Int, { nullable: true, description: 'Days until the key expires (at most MACHINE_KEY_MAX_DAYS)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

@ArgsType()
export class CreateMachineClientArgs {
  @Field(() => MachineClientInput)
  @ValidateNested()
  @Type(() => MachineClientInput)
  input: MachineClientInput;
}

@ArgsType()
export class MachineClientIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class RotateMachineClientArgs extends MachineClientIdArgs {
  @Field(() => Int, { nullable: true, description: 'Days until the new key expires (at most MACHINE_KEY_MAX_DAYS)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

@ObjectType({ description: 'A new key, shown this once: only its hash is kept' })
export class MachineClientKey {
  @Field(() => MachineClient)
  client: MachineClient;

  @Field({ description: 'Send as "Authorization: Bearer <key>"' })
  key: string;
}
