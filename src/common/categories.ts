import { registerEnumType } from '@nestjs/graphql';

/** What a sharing rule's categories name (SharingSubject): a bulletin's category, a vetting record's level. */
export enum BulletinCategory {
  INSIDER_THREAT = 'INSIDER_THREAT',
  PIN_FRAUD = 'PIN_FRAUD',
  CONTAINER_CLONING = 'CONTAINER_CLONING',
  EXTRACTION_TEAM = 'EXTRACTION_TEAM',
  CORRUPTION_ATTEMPT = 'CORRUPTION_ATTEMPT',
  CYBER_INTRUSION = 'CYBER_INTRUSION',
  SUSPICIOUS_CARGO = 'SUSPICIOUS_CARGO',
  OTHER = 'OTHER',
}

export enum VettingLevel {
  BASIC = 'BASIC',
  ENHANCED = 'ENHANCED',
  SECURITY_CRITICAL = 'SECURITY_CRITICAL',
}

registerEnumType(BulletinCategory, { name: 'BulletinCategory' });
registerEnumType(VettingLevel, { name: 'VettingLevel' });
