import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { OrganisationType } from '../../common/organisation-type';
import { ConnectionType, PageArgs } from '../../common/pagination';
import { Tlp } from '../../common/tlp';
import { FEDERATED_TLPS } from '../bulletin-payload';

@ObjectType({ description: 'This instance as its peers know it' })
export class FederationInstanceView {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'The Ed25519 public key, base64: given to peers out of band' })
  publicKey: string;

  @Field({ description: 'SHA-256 of the public key, hex: what both sides read aloud to compare' })
  fingerprint: string;
}

@ObjectType({ description: 'How the link with a peer we receive from is doing' })
export class PeerHealth {
  @Field({ description: "Where we are in the peer's feed (transaction id:sequence)" })
  cursor: string;

  @Field(() => Float, { description: 'Versions taken and kept' })
  received: number;

  @Field(() => Float, { description: 'Versions refused (each quarantined with its reason)' })
  refused: number;

  @Field(() => Float, { description: 'Versions the peer has queued for us that we have not taken yet' })
  lagEvents: number;

  @Field(() => Int, { description: 'Age of the oldest of them, in seconds' })
  lagSeconds: number;

  @Field(() => Date, { nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastSuccessAt: Date | null;

  @Field(() => Int)
  consecutiveFailures: number;

  @Field(() => String, { nullable: true, description: 'Why the last turn failed, in words' })
  lastError: string | null;

  @Field(() => Int, { description: 'Refused payloads kept for examination' })
  quarantined: number;

  @Field({
    description: 'No turn has succeeded for five pull intervals (at least five minutes): the cursor stopped moving',
  })
  stalled: boolean;
}

@ObjectType({ description: 'Another instance, and the agreement of what crosses' })
export class PeerView {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  url: string;

  @Field({ description: 'SHA-256 of its public key, hex' })
  fingerprint: string;

  @Field({ description: 'Nothing crosses either way while set' })
  cutOff: boolean;

  @Field({ description: 'We send it the bulletins of our organisations listed' })
  sends: boolean;

  @Field({ description: 'We take its bulletins, for our organisations listed' })
  receives: boolean;

  @Field(() => Tlp, { description: 'The highest marking that crosses (never RED)' })
  maxTlp: Tlp;

  @Field(() => [ID], { description: 'Our organisations that send to and receive from the peer' })
  localOrganisationIds: string[];

  @Field(() => [ID], { description: "The peer's organisations admitted by name" })
  remoteOrganisationIds: string[];

  @Field(() => [OrganisationType], { description: "The peer's organisations admitted by type" })
  remoteTypes: OrganisationType[];

  @Field(() => [String], { description: 'Admitted by type only in these ports (UN/LOCODEs); none: any port' })
  remotePorts: string[];

  @Field(() => Int, { description: 'Days the peer may keep what we send (asked of it)' })
  retentionDays: number;

  @Field(() => PeerHealth, { nullable: true, description: 'Null until we first ask it' })
  health: PeerHealth | null;
}

@InputType()
export class PeerInput {
  @Field(() => ID, { description: "The peer's instance id, as it gave it" })
  @IsUUID()
  id: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field({ description: "The peer's PUBLIC_URL (https:// unless FEDERATION_ALLOW_HTTP)" })
  @IsString()
  @Length(9, 2000)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'url must be an http(s) URL' })
  url: string;

  @Field({ description: 'Its Ed25519 public key, base64, as exchanged out of band' })
  @IsString()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'publicKey must be 32 bytes, base64-encoded' })
  publicKey: string;

  @Field()
  @IsBoolean()
  sends: boolean;

  @Field()
  @IsBoolean()
  receives: boolean;

  @Field(() => Tlp)
  @IsEnum(Tlp)
  @IsIn(FEDERATED_TLPS, { message: 'maxTlp must be CLEAR, GREEN, AMBER or AMBER_STRICT: RED never leaves' })
  maxTlp: Tlp;

  @Field(() => [ID])
  @IsUUID('all', { each: true })
  @ArrayMaxSize(1000)
  localOrganisationIds: string[];

  @Field(() => [ID])
  @IsUUID('all', { each: true })
  @ArrayMaxSize(1000)
  remoteOrganisationIds: string[];

  @Field(() => [OrganisationType])
  @IsEnum(OrganisationType, { each: true })
  @ArrayMaxSize(20)
  remoteTypes: OrganisationType[];

  @Field(() => [String])
  @Matches(/^[A-Z]{2}[A-Z2-9]{3}$/, { each: true, message: 'remotePorts must be UN/LOCODEs such as NLRTM' })
  @ArrayMaxSize(100)
  remotePorts: string[];

  @Field(() => Int, { defaultValue: 365 })
  @IsInt()
  @Min(1)
  @Max(36_500)
  retentionDays: number = 365;
}

@ArgsType()
export class SavePeerArgs {
  @Field(() => PeerInput)
  @ValidateNested()
  @Type(() => PeerInput)
  input: PeerInput;
}

@ArgsType()
export class CutOffPeerArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field()
  @IsBoolean()
  cutOff: boolean;
}

@ObjectType()
export class FederatedIndicator {
  @Field()
  type: string;

  @Field()
  value: string;
}

@ObjectType({ description: "A peer instance's bulletin, its latest version as its origin signed it for us" })
export class FederatedBulletin {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  version: number;

  @Field({ description: 'When its origin published this version' })
  modified: Date;

  @Field(() => Tlp)
  tlp: Tlp;

  @Field(() => ID)
  organisationId: string;

  @Field({ description: 'The author organisation, at its instance' })
  organisationName: string;

  @Field({ description: 'The instance it comes from' })
  instanceName: string;

  @Field()
  title: string;

  @Field()
  summary: string;

  @Field({ description: 'Markdown' })
  body: string;

  @Field()
  category: string;

  @Field()
  severity: string;

  @Field(() => Date, { nullable: true })
  validUntil: Date | null;

  @Field(() => Date, { nullable: true, description: 'When its origin retracted it' })
  retractedAt: Date | null;

  @Field(() => [FederatedIndicator])
  indicators: FederatedIndicator[];
}

export const FederatedBulletinConnection = ConnectionType(FederatedBulletin);

@ArgsType()
export class FederatedBulletinsArgs extends PageArgs {}
