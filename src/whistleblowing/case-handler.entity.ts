import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A designated case handler: the organisation's case key sealed to the handler's own key. */
@PersonalData({
  purpose: "Who may open the organisation's cases, with their wrapped case key",
  recipients: "The organisation's admins",
  retention: RETENTION.credential,
  personal: { user_id: PersonalDataCategory.MEMBERSHIP },
  other: ['organisation_id', 'wrapped_key'],
})
@Entity('case_handlers')
export class CaseHandler {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey: Buffer;
}
