import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { CurrentActor, MachineClients } from '../common/decorators';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueriesService } from '../bulletins/bulletin-queries.service';
import { badInput, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { ExportBulletin, stixBundle } from './stix-export';
import { ChecksEach } from '../common/checks';

const MAX_EXPORT = 500;
const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/**
 * STIX 2.1 export for MISP, OpenCTI and the like: the same visibility as GraphQL (the caller's ability
 * compiled to SQL, row-level security underneath). Drafts are never exported.
 */
@MachineClients()
@Controller('stix/bulletins')
export class StixController {
  constructor(
    private readonly db: DatabaseService,
    private readonly queries: BulletinQueriesService,
  ) {}

  @ChecksEach('read', 'Bulletin', 'Members of an organisation export the bulletins they may read')
  @Get(':id')
  async one(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const bundle = await this.db.withRequest({ actor }, async () => {
      const bulletin = await this.queries.get(actor, id);
      if (bulletin.status === 'DRAFT') throw notFound('Bulletin');
      await this.queries.recordEach('exportStix', [bulletin]);
      return stixBundle([await this.exportable(actor, bulletin)]);
    });
    res.status(200).type(STIX_MEDIA_TYPE).send(JSON.stringify(bundle));
  }

  /** Bulletins changed after `since` (ISO 8601; all when absent), at most 500, most recent first. */
  @ChecksEach('read', 'Bulletin', 'Members of an organisation export the bulletins they may read')
  @Get()
  async changed(
    @CurrentActor() actor: Actor,
    @Query('since') since: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const after = since === undefined ? null : new Date(since);
    if (after && Number.isNaN(after.getTime())) throw badInput('since must be an ISO 8601 date-time', 'since');
    const bundle = await this.db.withRequest({ actor }, async () => {
      await this.db.heavyShare(actor.organisationId);
      const bulletins = await this.queries.issuedSince(actor, after, MAX_EXPORT);
      await this.queries.recordEach('exportStix', bulletins);
      return stixBundle(await Promise.all(bulletins.map((b) => this.exportable(actor, b))));
    });
    res.status(200).type(STIX_MEDIA_TYPE).send(JSON.stringify(bundle));
  }

  private async exportable(actor: Actor, b: Bulletin): Promise<ExportBulletin> {
    return {
      id: b.id,
      status: b.status,
      retractedAt: b.retractedAt,
      author: await this.queries.authorOrganisation(b.authorOrganisationId),
      versions: await this.queries.versions(actor, b.id),
    };
  }
}
