import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditPrune } from './audit-prune.entity';
import { AuditEntry } from './audit-entry.entity';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { AuditCheckpointsService } from './audit-checkpoints.service';

export const AUDIT_ENTITIES = [AuditEntry, AuditCheckpoint, AuditPrune];

/**
 * The write side of the audit trail: every mutation through the interceptor, sensitive reads through
 * AuditService, signed checkpoints over every chain.
 */
@Global()
@Module({
  providers: [AuditService, AuditCheckpointsService, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditService, AuditCheckpointsService],
})
export class AuditModule {}
