import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { escapeHtml } from '../common/html';
import { isUUID } from 'class-validator';
import { Public } from '../common/decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AlertSubscriptionsService } from '../subscriptions/alert-subscriptions.service';
import { verifyUnsubscribe } from './unsubscribe';

/**
 * Unsubscribing from an alert e-mail, no login needed (the link is signed). GET, which link scanners
 * and previews also fetch, only asks for confirmation; POST (the confirmation button, or a mail client's
 * one-click unsubscribe after RFC 8058's List-Unsubscribe-Post header) stops the subscription's e-mail:
 * its other channels (real time in the console) go on, and a subscription left with none is removed.
 */
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly subscriptions: AlertSubscriptionsService,
  ) {}

  @Public('the signed link of an alert e-mail')
  @Get()
  confirm(@Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response): void {
    if (!this.claimOf(q)) return this.answer(res, 400, 'This unsubscribe link is not valid.');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; form-action 'self'");
    res.status(200).type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head><body>
<p>Stop this alert subscription from sending you e-mail? Its alerts in the console, if it has them, go on.</p>
<form method="post" action="${escapeHtml(req.originalUrl)}"><button type="submit">Unsubscribe</button></form></body></html>`);
  }

  @Public('the signed link of an alert e-mail')
  @Post()
  @HttpCode(200)
  async unsubscribe(@Query() q: Record<string, string>, @Res() res: Response): Promise<void> {
    const claim = this.claimOf(q);
    if (!claim) return this.answer(res, 400, 'This unsubscribe link is not valid.');
    const left = await this.db.withRequest(
      { identity: { userId: claim.userId, organisationId: claim.organisationId, isPlatformAdmin: false } },
      () => this.subscriptions.stopEmail(claim.subscriptionId),
    );
    this.answer(
      res,
      200,
      left.length
        ? 'You are unsubscribed from its e-mail: this alert subscription goes on showing alerts in the console.'
        : 'You are unsubscribed: this alert subscription will send you nothing more.',
    );
  }

  private claimOf(q: Record<string, string>) {
    const claim = { subscriptionId: q.s, userId: q.u, organisationId: q.o };
    const valid =
      [claim.subscriptionId, claim.userId, claim.organisationId].every((v) => isUUID(v)) &&
      typeof q.t === 'string' &&
      // Links mailed before a rotation of JWT_SECRET stay good.
      this.config.jwtSecrets.some((secret) => verifyUnsubscribe(secret, claim, q.t));
    return valid ? claim : null;
  }

  private answer(res: Response, status: number, text: string): void {
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).type('text/plain').send(text);
  }
}
