import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { decodePosition, FederationFeedService } from './federation-feed.service';
import { FederationRepository } from './federation.repository';
import { federationRefusals } from './federation-refusals';
import { InstanceIdentityService } from './instance-identity.service';
import { Peer } from './peer.entity';
import { requestSigner } from './signatures';

/**
 * What peers ask of us, over HTTPS: who we are (public, to compare with what was exchanged out of band),
 * and, signed with their instance key (RFC 9421), our directory and our feed for them. An unsigned,
 * unknown, cut-off or replayed request gets the same 401: nothing tells which.
 */
@Controller('federation/v1')
export class FederationController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly federation: FederationRepository,
    private readonly feed: FederationFeedService,
    private readonly identity: InstanceIdentityService,
  ) {}

  @Public('anyone: the instance identity is public')
  @Get('instance')
  instance(): { id: string; name: string; publicKey: string; fingerprint: string } {
    return {
      id: this.identity.id,
      name: this.identity.name,
      publicKey: this.identity.publicKey.toString('base64'),
      fingerprint: this.identity.fingerprint,
    };
  }

  @Public('a peer instance, by the signature of its key')
  @Get('directory')
  async directory(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.asPeer(req, res, async (peer) => ({
      organisations: await this.federation.directory(peer.localOrganisationIds),
    }));
  }

  @Public('a peer instance, by the signature of its key')
  @Get('feed')
  async feedPage(
    @Req() req: Request,
    @Res() res: Response,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
  ): Promise<void> {
    const position = decodePosition(after);
    const size = Number(limit ?? this.config.FEDERATION_PAGE_SIZE);
    if (!position || !Number.isInteger(size) || size < 1) {
      res.status(400).json({ error: 'after must be txid:seq and limit a positive integer' });
      return;
    }
    await this.asPeer(req, res, async (peer) => (peer.sends ? this.feed.page(peer, position, size) : null));
  }

  /** Runs `work` as the peer that signed the request, in one transaction; 401 for anyone else. */
  private async asPeer(req: Request, res: Response, work: (peer: Peer) => Promise<unknown>): Promise<void> {
    const url = `${this.config.publicUrl}${req.originalUrl}`;
    type Answer = { refused: keyof typeof federationRefusals } | { body: unknown };
    const answer = await this.db.withRequest({}, async (): Promise<Answer> => {
      let peer: Peer | null = null;
      const signer = await requestSigner(
        { method: req.method, url, headers: req.headers as Record<string, string> },
        async (id) => {
          await this.db.actAs({ userId: null, organisationId: null, isPlatformAdmin: false, peerId: id });
          peer = await this.federation.peer(id);
          return peer && !peer.cutOff ? peer.publicKey : null;
        },
      );
      if (!signer || !peer) return { refused: 'signature' };
      if (!(await this.federation.spendNonce(signer.instanceId, signer.nonce))) return { refused: 'replay' };
      const body = await work(peer);
      return body === null ? { refused: 'direction' } : { body };
    });
    if ('refused' in answer) {
      federationRefusals[answer.refused]++;
      res.status(401).json({ error: 'This request is not signed by a peer of this instance' });
      return;
    }
    res.status(200).json(answer.body);
  }
}
