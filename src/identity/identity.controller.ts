import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators';
import { FederatedSignInService } from './federated-sign-in.service';
import { IdentityProvidersService } from './identity-providers.service';

/** The HTTP side of signing in through an organisation's provider: its redirect back, its logout, our key set. */
@Controller('auth/oidc')
export class IdentityController {
  constructor(
    private readonly signIns: FederatedSignInService,
    private readonly providers: IdentityProvidersService,
  ) {}

  @Public("the provider's authorization response, checked against the request this browser began")
  @Get('callback')
  callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    return this.signIns.callback(req, res);
  }

  @Public("a logout token signed by the organisation's provider")
  @Post(':id/backchannel-logout')
  @HttpCode(200)
  async backChannelLogout(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const ended = await this.signIns.backChannelLogout(id, body?.logout_token);
    res.setHeader('Cache-Control', 'no-store');
    res.status(ended ? 200 : 400).end();
  }

  @Public('a public key, for private_key_jwt')
  @Get(':id/jwks.json')
  async keySet(@Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const keys = await this.providers.keySet(id);
    if (!keys) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(keys);
  }
}
