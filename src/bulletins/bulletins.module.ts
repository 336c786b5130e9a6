import { Module } from '@nestjs/common';
import { BulletinAccessService } from './bulletin-access.service';
import { BulletinQueriesService } from './bulletin-queries.service';
import { BulletinConnectionResolver, BulletinsResolver } from './bulletins.resolver';
import { BulletinRepository } from './bulletin.repository';
import { BulletinsService } from './bulletins.service';

@Module({
  providers: [
    BulletinRepository,
    BulletinsService,
    BulletinQueriesService,
    BulletinAccessService,
    BulletinsResolver,
    BulletinConnectionResolver,
  ],
  exports: [BulletinQueriesService, BulletinsService, BulletinRepository],
})
export class BulletinsModule {}
