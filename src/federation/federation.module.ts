import { Module } from '@nestjs/common';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { FederatedBulletinsService } from './federated-bulletins.service';
import { FederationController } from './federation.controller';
import { FederationFeedService } from './federation-feed.service';
import { FederationIngestService } from './federation-ingest.service';
import {
  FederatedBulletinRecord,
  FederatedBulletinVersion,
  FederatedTombstone,
  FederationCursor,
  FederationDelivery,
  FederationInstance,
  FederationNonce,
  FederationOutboxEntry,
  FederationQuarantineEntry,
} from './federation-records.entity';
import { FederationRepository } from './federation.repository';
import { FederationResolver } from './federation.resolver';
import { FederationSyncService } from './federation-sync.service';
import { InstanceIdentityService } from './instance-identity.service';
import { Peer } from './peer.entity';
import { PeersService } from './peers.service';

export const FEDERATION_ENTITIES = [
  Peer,
  FederationInstance,
  FederationOutboxEntry,
  FederationCursor,
  FederatedBulletinVersion,
  FederatedBulletinRecord,
  FederationQuarantineEntry,
  FederationNonce,
  FederationDelivery,
  FederatedTombstone,
];

@Module({
  imports: [BulletinsModule],
  controllers: [FederationController],
  providers: [
    InstanceIdentityService,
    FederationRepository,
    FederationFeedService,
    FederationIngestService,
    FederationSyncService,
    PeersService,
    FederatedBulletinsService,
    FederationResolver,
  ],
  exports: [FederationSyncService],
})
export class FederationModule {}
