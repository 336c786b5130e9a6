import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { errorPage } from './pages/render';
import { closeAfterAnswer, pageHeaders, stringsFor } from './report-pages.controller';

/**
 * The reporter pages are one anonymous tenant of this server (anyone may post, from any address):
 * their posts are taken at most `perSecond` a second (a second's worth at once), so that a flood of
 * forged posts cannot take the event loop members' requests need. A cheaper refusal does not help: the
 * flood only grows to fill the loop again. A post beyond the rate waits its turn, in order, before a
 * byte of its body is read (a GCRA clock of this process: the event loop is the process's own); with
 * `maxWaiting` already waiting it is answered 503 at once. Reading the pages never waits.
 */
export function reportPostAdmission(perSecond: number, maxWaiting: number) {
  const interval = 1000 / perSecond;
  // A second's worth at once: the clock may run this far ahead of now.
  const tolerance = Math.max(0, 1000 - interval);
  let paidUntil = 0;
  let timer: NodeJS.Timeout | undefined;
  const waiting: (() => void)[] = [];

  function serveWaiting(): void {
    while (waiting.length) {
      const now = performance.now();
      const due = paidUntil - tolerance - now;
      if (due > 0) {
        timer ??= setTimeout(() => {
          timer = undefined;
          serveWaiting();
        }, due);
        return;
      }
      paidUntil = Math.max(paidUntil, now) + interval;
      waiting.shift()!();
    }
  }

  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return next();
    if (waiting.length >= maxWaiting) {
      pageHeaders(res);
      res.setHeader('Retry-After', '60');
      closeAfterAnswer(req, res);
      res
        .status(503)
        .type('html')
        .send(errorPage(stringsFor(req), 'UNAVAILABLE'));
      return;
    }
    const turn = () => next();
    waiting.push(turn);
    // Gone before its turn (the sender gave up): its place is freed.
    res.once('close', () => {
      const at = waiting.indexOf(turn);
      if (at >= 0) waiting.splice(at, 1);
    });
    serveWaiting();
  };
}
