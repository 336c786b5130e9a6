import { IntakeGuard } from './intake-guard.service';
import { UploadBudget } from './upload-budget';
import { Module } from '@nestjs/common';
import { CaseAttachmentsController } from './case-attachments.controller';
import { CaseHandling } from './case-handling.service';
import { CaseKeyring } from './case-keyring.service';
import { CaseRetention } from './case-retention.service';
import { ReportIntake } from './report-intake.service';
import { ReportPagesController } from './report-pages.controller';
import { WhistleblowingResolver } from './whistleblowing.resolver';

@Module({
  controllers: [ReportPagesController, CaseAttachmentsController],
  providers: [
    CaseKeyring,
    IntakeGuard,
    ReportIntake,
    UploadBudget,
    CaseHandling,
    CaseRetention,
    WhistleblowingResolver,
  ],
})
export class WhistleblowingModule {}
