import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/**
 * An organisation's budget of time for heavy work, shared by every instance (migration HeavyWorkBudget;
 * DatabaseService.heavyShare reads and charges it through its two functions).
 */
@PersonalData({
  purpose: 'Per-organisation pacing of heavy work',
  recipients: 'Nobody',
  retention: RETENTION.operational,
  personal: {},
  other: ['holder', 'paid_until'],
})
@Entity('heavy_work_budgets')
export class HeavyWorkBudget {
  /** `heavy:<organisation id>`. */
  @PrimaryColumn({ type: 'text' })
  holder: string;

  /** The budget's virtual clock: heavy work may start while it is at most the burst tolerance ahead of now. */
  @Column({ name: 'paid_until', type: 'timestamptz' })
  paidUntil: Date;
}
