import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { ExportAllowance } from '../auth/export-allowance';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueriesService } from '../bulletins/bulletin-queries.service';
import { ChecksEach } from '../common/checks';
import { CurrentActor, MachineClients } from '../common/decorators';
import { notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { hashLines, manifestEntry, MispBulletin, mispEvent } from './misp';

const WHO = 'Members and machine clients read, as a MISP feed, the bulletins they may see';

/**
 * A MISP feed (MISP core format) for MISP instances, which add it as a feed with no module (MISP does
 * not pull TAXII): `manifest.json` (the MISP_FEED_SIZE most recently changed issued bulletins the caller
 * may read), one `<uuid>.json` event per bulletin, and `hashes.csv`. The same ability, row-level
 * security, marking cap of a machine client, audit and export allowance as every export.
 */
@MachineClients()
@Controller('misp/feed')
export class MispFeedController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly queries: BulletinQueriesService,
    private readonly allowance: ExportAllowance,
  ) {}

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('manifest.json')
  async manifest(@CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    const feed = await this.feed(actor, 'listMispFeed');
    res
      .status(200)
      .type('application/json')
      .send(JSON.stringify(Object.assign({}, ...feed.map(manifestEntry))));
  }

  @ChecksEach('read', 'Bulletin', WHO)
  @Get('hashes.csv')
  async hashes(@CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    const feed = await this.feed(actor, 'listMispFeed');
    res
      .status(200)
      .type('text/csv')
      .send(
        feed
          .flatMap(hashLines)
          .map((l) => `${l}\n`)
          .join(''),
      );
  }

  /** One event; a bulletin the caller may not read, a draft or anything else answers as one that does not exist. */
  @ChecksEach('read', 'Bulletin', WHO)
  @Get(':file')
  async event(@CurrentActor() actor: Actor, @Param('file') file: string, @Res() res: Response): Promise<void> {
    const id = file.replace(/\.json$/, '');
    if (!isUUID(id) || id === file) throw notFound('Event');
    const event = await this.db.withRequest({ actor }, async () => {
      await this.allowance.assertLeft(actor);
      const bulletin = await this.queries.get(actor, id);
      if (bulletin.status === 'DRAFT') throw notFound('Event');
      await this.queries.recordEach('exportMisp', [bulletin]);
      const [exported] = await this.exportable([bulletin]);
      await this.allowance.charge(actor, 1 + exported.indicators.length);
      return mispEvent(exported);
    });
    res.status(200).type('application/json').send(JSON.stringify(event));
  }

  /** The feed's bulletins, audited as a listing (AMBER and above) and charged to the export allowance. */
  private feed(actor: Actor, action: string): Promise<MispBulletin[]> {
    return this.db.withRequest({ actor }, async () => {
      await this.allowance.assertLeft(actor);
      await this.db.heavyShare(actor.organisationId);
      const bulletins = await this.queries.issuedSince(actor, null, this.config.MISP_FEED_SIZE);
      await this.queries.recordListed(action, bulletins);
      const exported = await this.exportable(bulletins);
      await this.allowance.charge(actor, exported.length + exported.reduce((n, b) => n + b.indicators.length, 0));
      return exported;
    });
  }

  private exportable(bulletins: Bulletin[]): Promise<MispBulletin[]> {
    return Promise.all(
      bulletins.map(async (b) => ({
        ...b,
        publishedAt: b.publishedAt ?? b.createdAt,
        author: await this.queries.authorOrganisation(b.authorOrganisationId),
        indicators: await this.queries.indicators(b.id),
      })),
    );
  }
}
