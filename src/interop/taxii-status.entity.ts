import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** One object's outcome in a TAXII status resource (TAXII 2.1 §4.3.1, status-details). */
export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

/** The outcome of a TAXII `POST objects`, kept for the one who posted it (row-level security). */
@PersonalData({
  purpose: 'Results of objects posted over TAXII',
  recipients: 'The posting organisation',
  retention: RETENTION.taxiiStatus,
  personal: { requester_id: PersonalDataCategory.TECHNICAL_LOG },
  other: [
    'id',
    'organisation_id',
    'collection_id',
    'request_timestamp',
    'total_count',
    'successes',
    'failures',
    'draft_ids',
  ],
})
@Entity('taxii_statuses')
export class TaxiiStatus {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** The user or machine client that posted. */
  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId: string;

  @Column({ name: 'collection_id', type: 'uuid' })
  collectionId: string;

  @Column({ name: 'request_timestamp', type: 'timestamptz' })
  requestTimestamp: Date;

  @Column({ name: 'total_count', type: 'int' })
  totalCount: number;

  @Column({ type: 'jsonb' })
  successes: StatusDetail[];

  @Column({ type: 'jsonb' })
  failures: StatusDetail[];

  @Column({ name: 'draft_ids', type: 'uuid', array: true })
  draftIds: string[];
}
