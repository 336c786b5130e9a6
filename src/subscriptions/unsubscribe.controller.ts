import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { isUUID } from 'class-validator';
import { Public } from '../auth/decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { verifyUnsubscribe } from './unsubscribe';

/** The one-click link in every alert e-mail: removes that subscription, no login needed. */
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
  ) {}

  @Public()
  @Get()
  async unsubscribe(@Query() q: Record<string, string>, @Res() res: Response): Promise<void> {
    const claim = { subscriptionId: q.s, userId: q.u, organisationId: q.o };
    const valid = [claim.subscriptionId, claim.userId, claim.organisationId].every((v) => isUUID(v))
      && typeof q.t === 'string' && verifyUnsubscribe(this.config.jwtSecret, claim, q.t);
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/plain');
    if (!valid) {
      res.status(400).send('This unsubscribe link is not valid.');
      return;
    }
    await this.db.withRequest({ identity: { userId: claim.userId, organisationId: claim.organisationId, isPlatformAdmin: false } }, async () =>
      (await this.db.em()).query(`DELETE FROM alert_subscriptions WHERE id = $1`, [claim.subscriptionId]),
    );
    res.status(200).send('You are unsubscribed: this alert subscription will send you nothing more.');
  }
}
