import { IntakeGuardService } from './intake-guard.service';
import { UploadBudget } from './upload-budget';
import { Module } from '@nestjs/common';
import { CaseAttachmentsController } from './case-attachments.controller';
import { CaseHandlingService } from './case-handling.service';
import { CaseKeyringService } from './case-keyring.service';
import { Peers } from '../common/peers';
import { CaseRepository } from './case.repository';
import { IntakeRepository } from './intake.repository';
import { CaseRemindersService } from './case-reminders.service';
import { CaseRetentionService } from './case-retention.service';
import { ReportIntakeService } from './report-intake.service';
import { ReportPagesController } from './report-pages.controller';
import { CaseBulletinResolver, WhistleblowerCaseResolver, WhistleblowingResolver } from './whistleblowing.resolver';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { WhistleblowerCaseRecord } from './whistleblower-case.entity';
import { CaseMessage } from './case-message.entity';
import { CaseAttachment } from './case-attachment.entity';
import { CaseHandler } from './case-handler.entity';
import { CaseKey } from './case-key.entity';
import { UserCaseKey } from './user-case-key.entity';
import { CaseReminder } from './case-reminder.entity';
import { CaseBulletin } from './case-bulletin.entity';
import { IntakePressure } from './intake-pressure.entity';
import { SpentChallenge } from './spent-challenge.entity';

export const WHISTLEBLOWING_ENTITIES = [
  WhistleblowerCaseRecord,
  CaseMessage,
  CaseAttachment,
  CaseHandler,
  CaseKey,
  UserCaseKey,
  CaseReminder,
  CaseBulletin,
  IntakePressure,
  SpentChallenge,
];

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
