import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { DatabaseService } from '../database/database.service';
import { CaseHandlingService } from './case-handling.service';
import { ChecksEach } from '../common/checks';

/** Case handlers download a case's attachments, decrypted for them; each download is audited. */
@Controller('cases')
export class CaseAttachmentsController {
  constructor(
    private readonly cases: CaseHandlingService,
    private readonly db: DatabaseService,
  ) {}

  @ChecksEach('handle', 'WhistleblowerCase', 'Only the case handlers of an organisation read its cases')
  @Get(':caseId/attachments/:id')
  async download(
    @CurrentActor() actor: Actor,
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.db.withRequest({ actor }, () => this.cases.attachment(actor, caseId, id));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(200).type('application/octet-stream').send(file.content);
  }
}
