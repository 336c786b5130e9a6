import { Query, Resolver } from '@nestjs/graphql';
import { Checks } from '../common/checks';
import { PlatformHealth } from './dto/platform-health.types';
import { PlatformHealthService } from './platform-health.service';

@Resolver()
export class PlatformHealthResolver {
  constructor(private readonly platform: PlatformHealthService) {}

  @Checks('read', 'Platform', "Only platform administrators see the platform's health")
  @Query(() => PlatformHealth, {
    description: 'Platform administrators: database, outbox depth, failed deliveries and running instances.',
  })
  platformHealth(): Promise<PlatformHealth> {
    return this.platform.health();
  }
}
