import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Tlp } from '../common/tlp';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A national system that pulls, with an API key, what its organisation may see up to a marking. */
@ObjectType()
@PersonalData({
  purpose: 'API keys of organisations',
  recipients: "The organisation's admins",
  retention: RETENTION.configuration,
  personal: { created_by: PersonalDataCategory.ACCOUNT },
  other: [
    'id',
    'organisation_id',
    'name',
    'max_tlp',
    'key_hash',
    'key_hint',
    'created_at',
    'expires_at',
    'rotated_at',
    'revoked_at',
    'last_used_at',
    'can_write',
  ],
})
@Entity('machine_clients')
export class MachineClient {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field(() => Tlp, { description: 'The highest marking it reads (never RED: RED names people)' })
  @Column({ name: 'max_tlp', type: 'text' })
  maxTlp: Tlp;

  @Field({ description: 'It may also post STIX bundles (TAXII) that become drafts for analysts to review' })
  @Column({ name: 'can_write', type: 'boolean' })
  canWrite: boolean;

  @Column({ name: 'key_hash', type: 'bytea', select: false })
  keyHash: Buffer;

  @Field({ description: 'The last four characters of the key, to tell keys apart' })
  @Column({ name: 'key_hint', type: 'text' })
  keyHint: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Field()
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Within a minute' })
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
