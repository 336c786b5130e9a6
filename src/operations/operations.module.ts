import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { ShutdownService } from './shutdown.service';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, ShutdownService],
  exports: [MetricsService, ShutdownService],
})
export class OperationsModule {}
