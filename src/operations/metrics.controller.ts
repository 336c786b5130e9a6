import { Controller, Get, Headers, Inject, NotFoundException, Res } from '@nestjs/common';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../common/decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint: only with `Authorization: Bearer <METRICS_TOKEN>`; absent when no token is configured. */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  @Public('the METRICS_TOKEN bearer token')
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const expected = this.config.METRICS_TOKEN ? Buffer.from(`Bearer ${this.config.METRICS_TOKEN}`) : null;
    const given = Buffer.from(authorization ?? '');
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new NotFoundException();
    res
      .status(200)
      .type(this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
