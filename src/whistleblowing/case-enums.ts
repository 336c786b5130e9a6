import { registerEnumType } from '@nestjs/graphql';
import { MemberRole } from '../common/organisation-type';

export enum CaseStatus {
  NEW = 'NEW',
  IN_REVIEW = 'IN_REVIEW',
  NEED_INFO = 'NEED_INFO',
  REFERRED = 'REFERRED',
  CLOSED = 'CLOSED',
}

/** What a report is about, in the port's terms. */
export enum ReportCategory {
  BRIBERY = 'BRIBERY',
  DRUG_TRAFFICKING = 'DRUG_TRAFFICKING',
  CONTAINER_MANIPULATION = 'CONTAINER_MANIPULATION',
  ACCESS_ABUSE = 'ACCESS_ABUSE',
  DATA_LEAK = 'DATA_LEAK',
  INTIMIDATION = 'INTIMIDATION',
  OTHER = 'OTHER',
}

export enum MessageAuthor {
  REPORTER = 'REPORTER',
  HANDLER = 'HANDLER',
  /** A handler's internal note (status changes): never shown to the reporter. */
  NOTE = 'NOTE',
}

/** Who may be designated a case handler (and so gets a case key pair at a password login). */
export const CASE_HANDLER_ROLES = [MemberRole.ANALYST, MemberRole.ORG_ADMIN];

export const MAX_ATTACHMENTS = 10;
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const MAX_TEXT = 20_000;

registerEnumType(CaseStatus, { name: 'CaseStatus' });
registerEnumType(ReportCategory, { name: 'ReportCategory' });
registerEnumType(MessageAuthor, { name: 'MessageAuthor' });
