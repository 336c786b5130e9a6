import {
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Public } from '../common/decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CONSOLE_ROUTES } from '../shared/console-routes';
import { commonHeaders, sendBuiltFile } from './static-files';

/** Where the console's index.html takes the nonce of its style elements (web/index.html). */
const NONCE_PLACEHOLDER = '__CSP_NONCE__';
/** Vite names every asset after a hash of its content: a name never changes meaning. */
const ASSET_NAME = /^[\w-]+\.(js|css|woff2|svg|png)$/;

/**
 * No script but the console's own files, nothing from another origin. Mantine writes its theme's CSS
 * variables into <style> elements: those carry this response's nonce (read by the console from a meta
 * tag); style attributes set by script are CSSOM and need nothing. Pages without <style> elements
 * (the documentation site) get no nonce.
 */
export function consolePolicy(nonce?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    nonce ? `style-src 'self' 'nonce-${nonce}'` : "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The web console (web/, built to CONSOLE_DIR): index.html for each of its pages, never cached (a new
 * release is picked up at once), and its hashed assets.
 */
@Controller()
export class ConsoleController {
  private readonly dir: string;
  private index?: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = resolve(config.CONSOLE_DIR);
  }

  @Public('anyone: the console page itself holds no data')
  @Get(Object.values(CONSOLE_ROUTES))
  page(@Res() res: Response): void {
    this.index ??= this.readIndex();
    const nonce = randomBytes(18).toString('base64');
    commonHeaders(res);
    res.setHeader('Content-Security-Policy', consolePolicy(nonce));
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(this.index.replaceAll(NONCE_PLACEHOLDER, nonce));
  }

  @Public('anyone: the console code holds no data')
  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    if (!ASSET_NAME.test(file)) throw new NotFoundException();
    const path = join(this.dir, 'assets', file);
    if (!existsSync(path)) throw new NotFoundException();
    sendBuiltFile(req, res, path, true);
  }

  /**
   * The icon (web/public/favicon.svg), also where browsers look without being told: a 404 there was an
   * error in the console of every first visit.
   */
  @Public('anyone: an icon')
  @Get(['favicon.svg', 'favicon.ico'])
  icon(@Res() res: Response): void {
    commonHeaders(res);
    res.type('image/svg+xml');
    res.sendFile(join(this.dir, 'favicon.svg'), { maxAge: '1d' });
  }

  private readIndex(): string {
    const file = join(this.dir, 'index.html');
    if (!existsSync(file)) {
      throw new ServiceUnavailableException(`The console is not built in ${this.dir}: run npm run build`);
    }
    return readFileSync(file, 'utf8');
  }
}
