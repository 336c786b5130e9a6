import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/decorators';
import { DatabaseService } from '../database/database.service';
import { ShutdownService } from './shutdown.service';

/** A database that does not answer within this long counts as down. */
const DATABASE_TIMEOUT_MS = 2000;

@Public('anyone (no data)')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownService,
    private readonly db: DatabaseService,
  ) {}

  /** The summary kept from the first release: 200 `{status: ok, database: up}` or 503. */
  @Get()
  async summary(@Res() res: Response): Promise<void> {
    const up = await this.databaseAnswers();
    res
      .status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: up ? 'ok' : 'error', database: up ? 'up' : 'down' });
  }

  /** Liveness: the process serves requests (restart it if not). */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up()]);
  }

  /**
   * Readiness: send traffic here only when the database answers, every migration is applied, real time
   * listens again (a LISTEN still waiting out its back-off is told to try now) and no shutdown is under way.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      async () => {
        const database = this.indicators.check('database');
        return (await this.databaseAnswers()) ? database.up() : database.down('no answer');
      },
      async () => {
        const migrations = this.indicators.check('migrations');
        const pending = await this.dataSource.showMigrations().catch(() => null);
        if (pending === null) return migrations.down('unknown: the database does not answer');
        return pending ? migrations.down('not all applied') : migrations.up();
      },
      async () => {
        const listen = this.indicators.check('listen');
        const waiting = [...this.db.listeners].filter((l) => !l.listening);
        if (!waiting.length) return listen.up();
        if (await this.databaseAnswers()) for (const l of waiting) l.wake();
        return listen.down('reconnecting to the database');
      },
      () =>
        this.shutdown.shuttingDown
          ? this.indicators.check('lifecycle').down('shutting down')
          : this.indicators.check('lifecycle').up(),
    ]);
  }

  private databaseAnswers(): Promise<boolean> {
    return Promise.race([
      this.dataSource.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(resolve, DATABASE_TIMEOUT_MS, false).unref()),
    ]);
  }
}
