import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { rateLimited } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RequestCounts } from './request-counts';

/** The scope of export work in request_counts, per person or machine client (its id). */
export const EXPORT_WORK = 'export-work';
const MINUTE_MS = 60_000;

/**
 * How much work a caller's exports may cause per minute (EXPORT_OBJECTS_PER_MINUTE rows read plus
 * objects sent, on all instances together): work is counted, not requests, so a client walks a large
 * collection at the largest page without being stopped, while a loop of scans that read much and
 * return little is. A machine client
 * is refused at the gate (MachineClientsService reads this count with its request count); a person here.
 */
@Injectable()
export class ExportAllowance {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly counts: RequestCounts,
  ) {}

  async assertLeft(actor: Actor): Promise<void> {
    if (actor.machineClient) return;
    const { hits, resetsInMs } = await this.counts.take(EXPORT_WORK, actor.userId, MINUTE_MS, 0);
    if (hits > this.config.EXPORT_OBJECTS_PER_MINUTE) throw this.spent(resetsInMs);
  }

  /** Charges a request's work: rows read and objects sent (a TAXII page: versions scanned and objects on the page). */
  async charge(actor: Actor, objects: number): Promise<void> {
    if (objects > 0) await this.counts.take(EXPORT_WORK, actor.userId, MINUTE_MS, objects);
  }

  private spent(resetsInMs: number) {
    return rateLimited(
      'This minute’s allowance of exported objects is spent, try again when it renews',
      resetsInMs / 1000,
    );
  }
}
