import { Module } from '@nestjs/common';
import { VettingQueries } from './vetting-queries.service';
import { VettingRemindersService } from './vetting-reminders.service';
import { VettingResolver } from './vetting.resolver';
import { VettingService } from './vetting.service';

@Module({ providers: [VettingService, VettingQueries, VettingRemindersService, VettingResolver] })
export class VettingModule {}
