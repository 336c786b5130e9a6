import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A designated case handler: the organisation's case key sealed to the handler's own key. */
@Entity('case_handlers')
export class CaseHandler {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey: Buffer;
}
