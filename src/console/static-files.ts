import type { Request, Response } from 'express';
import { existsSync } from 'node:fs';

/** Headers of every page and file the console and the documentation send. */
export function commonHeaders(res: Response): void {
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * Sends a built file, its .br or .gz twin when the browser accepts one (the builds precompress every
 * text asset). Files named after a hash of their content are cached for a year; the others are
 * revalidated on each use, so a new release shows at once.
 */
export function sendBuiltFile(req: Request, res: Response, path: string, hashed: boolean): void {
  const encoding = precompressed(path, req.headers['accept-encoding']);
  commonHeaders(res);
  res.setHeader('Vary', 'Accept-Encoding');
  res.type(path.slice(path.lastIndexOf('.')));
  if (encoding) res.setHeader('Content-Encoding', encoding.name);
  const caching = hashed ? { maxAge: '365d', immutable: true } : { cacheControl: false };
  if (!hashed) res.setHeader('Cache-Control', 'no-cache');
  res.sendFile(encoding?.path ?? path, { ...caching, dotfiles: 'deny' });
}

function precompressed(path: string, accepted: string | undefined): { name: string; path: string } | undefined {
  for (const [name, suffix] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ]) {
    if (accepted?.includes(name) && existsSync(path + suffix)) return { name, path: path + suffix };
  }
  return undefined;
}
