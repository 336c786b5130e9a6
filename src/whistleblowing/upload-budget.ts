import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';

/** The bytes of reporter uploads this server holds at once (REPORT_UPLOADS_INFLIGHT_MB), by declared size. */
@Injectable()
export class UploadBudget {
  private inFlight = 0;
  private readonly limit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.REPORT_UPLOADS_INFLIGHT_MB * 1024 * 1024;
  }

  reserve(bytes: number): boolean {
    if (this.inFlight + bytes > this.limit) return false;
    this.inFlight += bytes;
    return true;
  }

  release(bytes: number): void {
    this.inFlight -= bytes;
  }
}
