import { Module } from '@nestjs/common';
import { BulletinAccess } from './bulletin-access.service';
import { BulletinQueries } from './bulletin-queries.service';
import { BulletinConnectionResolver, BulletinsResolver } from './bulletins.resolver';
import { BulletinsService } from './bulletins.service';

@Module({
  providers: [BulletinsService, BulletinQueries, BulletinAccess, BulletinsResolver, BulletinConnectionResolver],
  exports: [BulletinQueries, BulletinsService],
})
export class BulletinsModule {}
