import { MigrationInterface, QueryRunner } from 'typeorm';

const PORT_TYPES = [
  'CONTAINER_NUMBER',
  'IMO_NUMBER',
  'SEAL_NUMBER',
  'LICENCE_PLATE',
  'VESSEL_NAME',
  'COMPANY',
  'OTHER',
];
const NEW_TYPES = [
  'BILL_OF_LADING',
  'IP_ADDRESS',
  'DOMAIN_NAME',
  'URL',
  'EMAIL_ADDRESS',
  'FILE_HASH',
  'PHONE_NUMBER',
  'IBAN',
];
const check = (types: string[]) => `CHECK (type IN (${types.map((t) => `'${t}'`).join(', ')}))`;

/**
 * Indicators of every kind: cyber and financial evidence (addresses, domains, URLs, e-mail addresses,
 * file hashes, phone numbers, IBANs) and bills of lading beside the port ones. Their search key is the
 * normal form (`indicatorKey`); the port types keep theirs, so no row changes.
 */
export class IndicatorTypes1768492800000 implements MigrationInterface {
  name = 'IndicatorTypes1768492800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bulletin_indicators DROP CONSTRAINT bulletin_indicators_type_check`);
    await q.query(
      `ALTER TABLE bulletin_indicators ADD CONSTRAINT bulletin_indicators_type_check ${check([...PORT_TYPES, ...NEW_TYPES])}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM bulletin_indicators WHERE type = ANY($1)`, [NEW_TYPES]);
    await q.query(`DELETE FROM indicator_sightings WHERE indicator_type = ANY($1)`, [NEW_TYPES]);
    await q.query(`ALTER TABLE bulletin_indicators DROP CONSTRAINT bulletin_indicators_type_check`);
    await q.query(`ALTER TABLE bulletin_indicators ADD CONSTRAINT bulletin_indicators_type_check ${check(PORT_TYPES)}`);
  }
}
