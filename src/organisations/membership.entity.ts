import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { MemberRole } from '../common/organisation-type';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

@PersonalData({
  purpose: 'Who belongs to which organisation, in which role',
  recipients: "The organisation's members; platform administrators",
  retention: RETENTION.membership,
  personal: { user_id: PersonalDataCategory.MEMBERSHIP, role: PersonalDataCategory.MEMBERSHIP },
  other: ['organisation_id', 'created_at'],
})
@Entity('memberships')
export class Membership {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  role: MemberRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
