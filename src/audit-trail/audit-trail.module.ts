import { Module } from '@nestjs/common';
import { AuditQueriesService } from './audit-queries.service';
import { AuditTrailResolver } from './audit-trail.resolver';
import { AuditVerification } from './audit-verification.entity';
import { AuditVerificationService } from './audit-verification.service';

export const AUDIT_TRAIL_ENTITIES = [AuditVerification];

/** The audit desk: events each caller may read, filtered in SQL by the ability, and verifying the chain. */
@Module({
  providers: [AuditQueriesService, AuditVerificationService, AuditTrailResolver],
})
export class AuditTrailModule {}
