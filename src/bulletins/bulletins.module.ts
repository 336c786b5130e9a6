import { Module } from '@nestjs/common';
import { BulletinAccessService } from './bulletin-access.service';
import { BulletinQueriesService } from './bulletin-queries.service';
import { BulletinConnectionResolver, BulletinsResolver } from './bulletins.resolver';
import { BulletinRepository } from './bulletin.repository';
import { BulletinsService } from './bulletins.service';
import { BulletinActionsResolver, IndicatorHitResolver } from './bulletin-actions.resolver';
import { BulletinReachRepository } from './bulletin-reach.repository';
import { BulletinReachService } from './bulletin-reach.service';
import { BulletinResponsesRepository } from './bulletin-responses.repository';
import { BulletinResponsesService } from './bulletin-responses.service';
import { ResponseRemindersService } from './response-reminders.service';
import { SightingsRepository } from './sightings.repository';
import { SightingsService } from './sightings.service';

@Module({
  providers: [
    BulletinRepository,
    BulletinsService,
    BulletinQueriesService,
    BulletinAccessService,
    BulletinsResolver,
    BulletinConnectionResolver,
    BulletinResponsesRepository,
    BulletinResponsesService,
    ResponseRemindersService,
    SightingsRepository,
    SightingsService,
    BulletinReachRepository,
    BulletinReachService,
    BulletinActionsResolver,
    IndicatorHitResolver,
  ],
  exports: [BulletinQueriesService, BulletinsService, BulletinRepository],
})
export class BulletinsModule {}
