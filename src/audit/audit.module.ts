import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditInterceptor } from './audit.interceptor';
import { AuditQueriesService } from './audit-queries.service';
import { AuditResolver } from './audit.resolver';
import { AuditVerificationService } from './audit-verification.service';
import { AuditService } from './audit.service';

@Global()
@Module({
  providers: [
    AuditService,
    AuditQueriesService,
    AuditVerificationService,
    AuditResolver,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditService],
})
export class AuditModule {}
