import { IntakeGuardService } from './intake-guard.service';
import { UploadBudget } from './upload-budget';
import { Module } from '@nestjs/common';
import { CaseAttachmentsController } from './case-attachments.controller';
import { CaseHandlingService } from './case-handling.service';
import { CaseKeyringService } from './case-keyring.service';
import { Peers } from '../operations/peers';
import { CaseRepository } from './case.repository';
import { IntakeRepository } from './intake.repository';
import { CaseRemindersService } from './case-reminders.service';
import { CaseRetentionService } from './case-retention.service';
import { ReportIntakeService } from './report-intake.service';
import { ReportPagesController } from './report-pages.controller';
import { CaseBulletinResolver, WhistleblowerCaseResolver, WhistleblowingResolver } from './whistleblowing.resolver';
import { BulletinsModule } from '../bulletins/bulletins.module';

@Module({
  imports: [BulletinsModule],
  controllers: [ReportPagesController, CaseAttachmentsController],
  providers: [
    CaseRepository,
    IntakeRepository,
    CaseKeyringService,
    Peers,
    IntakeGuardService,
    ReportIntakeService,
    UploadBudget,
    CaseHandlingService,
    CaseRetentionService,
    CaseRemindersService,
    WhistleblowingResolver,
    WhistleblowerCaseResolver,
    CaseBulletinResolver,
  ],
})
export class WhistleblowingModule {}
