import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/** A running server process, as its heartbeat last reported it (instance-heartbeat.service.ts). */
@PersonalData({
  purpose: 'Which servers are running',
  recipients: 'Platform administrators',
  retention: RETENTION.operational,
  personal: {},
  other: ['id', 'host', 'pid', 'started_at', 'seen_at'],
})
@Entity('server_instances')
export class ServerInstance {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  host: string;

  @Column({ type: 'integer' })
  pid: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'seen_at', type: 'timestamptz' })
  seenAt: Date;
}
