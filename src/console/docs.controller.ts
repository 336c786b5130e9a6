import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Public } from '../common/decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { consolePolicy } from './console.controller';
import { sendBuiltFile } from './static-files';

/** The console's policy: the site's pages have no <style> element to need a nonce. */
const POLICY = consolePolicy();

/** A path segment of the built site (its search index is `@localSearchIndexroot.*.js`): no parent, no hidden file. */
const SEGMENT = /^[\w@-][\w@.-]*$/;
const SERVED = /\.(html|js|css|woff2|svg|png|json)$/;

/**
 * The documentation site (docs/, built by VitePress to DOCS_DIR) at /docs, under the console's
 * Content-Security-Policy. Its pages end in .html; a page asked for without it is found as well.
 */
@Controller('docs')
export class DocsController {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = resolve(config.DOCS_DIR);
  }

  @Public('anyone: the documentation holds no data')
  @Get(['', '*path'])
  file(@Req() req: Request, @Res() res: Response): void {
    // The site's links are absolute under /docs/: without the slash its router finds no page.
    if (req.path === '/docs') return res.redirect(301, '/docs/');
    res.setHeader('Content-Security-Policy', POLICY);
    const path = this.resolve(req.path.slice('/docs/'.length));
    if (path) return sendBuiltFile(req, res, path, path.startsWith(join(this.dir, 'assets')));
    const notFound = join(this.dir, '404.html');
    res.status(404);
    if (existsSync(notFound)) sendBuiltFile(req, res, notFound, false);
    else res.type('text').send('The documentation is not built: run npm run build');
  }

  /** The file a path names inside the built site, or undefined. */
  private resolve(path: string): string | undefined {
    const segments = path.split('/');
    if (segments.at(-1) === '') segments[segments.length - 1] = 'index.html';
    if (!segments.every((segment) => SEGMENT.test(segment))) return undefined;
    const named = join(this.dir, ...segments);
    const file = SERVED.test(named) ? named : `${named}.html`;
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  }
}
