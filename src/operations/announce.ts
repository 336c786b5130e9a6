import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/config';

/** Where the server answers, once it does. */
export function announce(config: AppConfig, log: Logger): void {
  const base = `http://${config.HOST}:${config.PORT}`;
  const workers = config.WEB_CONCURRENCY > 1 ? ` (${config.WEB_CONCURRENCY} workers)` : '';
  log.log(
    `Ready${workers}. Console: ${base}/   GraphQL: ${base}/graphql   Reporter page: ${base}/report   Health: ${base}/health/ready`,
  );
}
