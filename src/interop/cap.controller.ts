import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { MachineClients, OptionalAuth } from '../common/decorators';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueriesService } from '../bulletins/bulletin-queries.service';
import { notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { OPEN_TLPS } from '../common/tlp';
import { CapBulletin, capDocument, capFeed } from './cap';
import { CapRepository } from './cap.repository';

const FEED_SIZE = 100;

/**
 * CAP 1.2 for national alerting systems: TLP:CLEAR bulletins for anyone, GREEN ones too for a member
 * who brings an access token. Nothing above GREEN ever appears here.
 */
@MachineClients()
@Controller('cap')
export class CapController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly queries: BulletinQueriesService,
    private readonly cap: CapRepository,
  ) {}

  @OptionalAuth('TLP:CLEAR for anyone; with a token, GREEN too')
  @Get('feed.xml')
  async feed(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = req.user as Actor | undefined;
    const bulletins = await this.db.withRequest({ actor }, () =>
      actor ? this.memberView(actor, null) : this.publicView(null),
    );
    this.send(
      res,
      actor,
      'application/atom+xml',
      capFeed(bulletins, this.sender(), this.config.publicUrl, `${this.config.publicUrl}/cap/feed.xml`),
    );
  }

  @OptionalAuth('TLP:CLEAR for anyone; with a token, GREEN too')
  @Get('alerts/:file')
  async alert(@Req() req: Request, @Param('file') file: string, @Res() res: Response): Promise<void> {
    const id = file.replace(/\.xml$/, '');
    if (!isUUID(id)) throw notFound('Alert');
    const actor = req.user as Actor | undefined;
    const [bulletin] = await this.db.withRequest({ actor }, () =>
      actor ? this.memberView(actor, id) : this.publicView(id),
    );
    if (!bulletin) throw notFound('Alert');
    this.send(res, actor, 'application/cap+xml', capDocument(bulletin, this.sender(), this.config.publicUrl));
  }

  /** CLEAR and GREEN bulletins the member may read (their ability, in SQL). */
  private async memberView(actor: Actor, id: string | null): Promise<CapBulletin[]> {
    const found: Bulletin[] = id
      ? [await this.queries.get(actor, id)].filter((b) => OPEN_TLPS.includes(b.tlp) && b.status !== 'DRAFT')
      : await this.queries.issuedSince(actor, null, FEED_SIZE, OPEN_TLPS);
    // A member's export is attributable; the public feed of CLEAR bulletins is anonymous.
    await this.queries.recordEach('exportCap', found);
    return Promise.all(
      found.map(async (b) => ({
        ...b,
        publishedAt: b.publishedAt!,
        authorName: (await this.queries.authorOrganisation(b.authorOrganisationId)).name,
        indicators: await this.queries.indicators(b.id),
      })),
    );
  }

  private publicView(id: string | null): Promise<CapBulletin[]> {
    return this.cap.publicBulletins(id, FEED_SIZE);
  }

  private send(res: Response, actor: Actor | undefined, type: string, xml: string): void {
    // A member's view includes GREEN: it must not sit in shared caches.
    res.setHeader('Cache-Control', actor ? 'private, no-store' : 'public, max-age=60');
    res.status(200).type(type).send(xml);
  }

  private sender(): string {
    return `harbourwatch@${new URL(this.config.publicUrl).hostname}`;
  }
}
