import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How many reporter requests of a purpose arrived in a time bucket (proof-of-work difficulty follows it). */
@Entity('intake_pressure')
export class IntakePressure {
  @PrimaryColumn({ type: 'text' })
  purpose: string;

  @PrimaryColumn({ type: 'timestamptz' })
  bucket: Date;

  @Column({ type: 'integer' })
  n: number;
}
