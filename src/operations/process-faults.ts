import { Logger } from '@nestjs/common';

/** Rejections nobody handled in this process (harbourwatch_unhandled_rejections_total). */
export const processFaults = { unhandledRejections: 0 };

/**
 * A promise rejection nobody handled is logged and counted, and the process goes on. Node would end the
 * process instead, and a library's unawaited promise (pg-boss 10 settles jobs so) rejects whenever the
 * database goes away: a database restart would take every instance down for good.
 */
export function surviveUnhandledRejections(): void {
  const log = new Logger('Process');
  process.on('unhandledRejection', (reason) => {
    processFaults.unhandledRejections++;
    log.error(
      `Unhandled promise rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });
}
