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
import { BulletinEventsService } from './bulletin-events.service';
import { SightingsRepository } from './sightings.repository';
import { SightingsService } from './sightings.service';
import { Bulletin } from './bulletin.entity';
import { BulletinIndicator } from './bulletin-indicator.entity';
import { BulletinAcknowledgement } from './bulletin-acknowledgement.entity';
import { BulletinRead } from './bulletin-read.entity';
import { BulletinVersionRecord } from './bulletin-version-record.entity';
import { BulletinEventEntry } from './bulletin-event-entry.entity';
import { BulletinResponseRecord } from './bulletin-response.entity';
import { IndicatorSightingRecord } from './indicator-sighting.entity';
import { SavedView, SavedViewDefault } from './saved-view.entity';
import { SavedViewsRepository } from './saved-views.repository';
import { SavedViewsResolver } from './saved-views.resolver';
import { SavedViewsService } from './saved-views.service';
import { DashboardResolver } from './dashboard.resolver';
import { DashboardService } from './dashboard.service';

export const BULLETINS_ENTITIES = [
  Bulletin,
  BulletinIndicator,
  BulletinAcknowledgement,
  BulletinRead,
  BulletinVersionRecord,
  BulletinEventEntry,
  BulletinResponseRecord,
  IndicatorSightingRecord,
  SavedView,
  SavedViewDefault,
];

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
    BulletinEventsService,
    SightingsRepository,
    SightingsService,
    BulletinReachRepository,
    BulletinReachService,
    BulletinActionsResolver,
    IndicatorHitResolver,
    SavedViewsRepository,
    SavedViewsService,
    SavedViewsResolver,
    DashboardService,
    DashboardResolver,
  ],
  exports: [BulletinQueriesService, BulletinsService, BulletinRepository, BulletinEventsService, BulletinAccessService],
})
export class BulletinsModule {}
