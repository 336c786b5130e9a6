import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { InstanceHeartbeatService } from './instance-heartbeat.service';
import { KeyRotationService } from './key-rotation.service';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { PlatformHealthResolver } from './platform-health.resolver';
import { PlatformHealthService } from './platform-health.service';
import { ShutdownService } from './shutdown.service';
import { ServerInstance } from './server-instance.entity';

export const OPERATIONS_ENTITIES = [ServerInstance];

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [
    MetricsService,
    ShutdownService,
    InstanceHeartbeatService,
    KeyRotationService,
    PlatformHealthService,
    PlatformHealthResolver,
  ],
  exports: [MetricsService, ShutdownService],
})
export class OperationsModule {}
