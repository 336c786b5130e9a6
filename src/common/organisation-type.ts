import { registerEnumType } from '@nestjs/graphql';

export enum OrganisationType {
  PORT_AUTHORITY = 'PORT_AUTHORITY',
  TERMINAL_OPERATOR = 'TERMINAL_OPERATOR',
  SHIPPING_COMPANY = 'SHIPPING_COMPANY',
  LOGISTICS_PROVIDER = 'LOGISTICS_PROVIDER',
  CUSTOMS = 'CUSTOMS',
  POLICE = 'POLICE',
  EU_AGENCY = 'EU_AGENCY',
  OTHER = 'OTHER',
}

export enum Sector {
  PUBLIC = 'PUBLIC',
  PRIVATE = 'PRIVATE',
}

export enum OrganisationStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
}

export enum MemberRole {
  ORG_ADMIN = 'ORG_ADMIN',
  ANALYST = 'ANALYST',
  MEMBER = 'MEMBER',
  /** The data protection officer: reads the register, retention, processing log and requests; changes nothing. */
  DPO = 'DPO',
}

const PUBLIC_TYPES = new Set([
  OrganisationType.PORT_AUTHORITY,
  OrganisationType.CUSTOMS,
  OrganisationType.POLICE,
  OrganisationType.EU_AGENCY,
]);

/** The sector is not chosen: it follows from the type (ARCHITECTURE.md §1). */
export function sectorOf(type: OrganisationType): Sector {
  return PUBLIC_TYPES.has(type) ? Sector.PUBLIC : Sector.PRIVATE;
}

export { LOCODE } from '../shared/locode';

registerEnumType(OrganisationType, { name: 'OrganisationType' });
registerEnumType(Sector, { name: 'Sector' });
registerEnumType(OrganisationStatus, { name: 'OrganisationStatus' });
registerEnumType(MemberRole, { name: 'MemberRole' });
