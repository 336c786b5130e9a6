import { ConsoleModule } from './console/console.module';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import depthLimit from 'graphql-depth-limit';
import { DataSource } from 'typeorm';
import { AuditModule } from './audit/audit.module';
import { AuditTrailModule } from './audit-trail/audit-trail.module';
import { DataProtectionModule } from './data-protection/data-protection.module';
import { OutboxModule } from './outbox/outbox.module';
import { AuthModule } from './auth/auth.module';
import { BulletinsModule } from './bulletins/bulletins.module';
import { costLimitPlugin, introspectionDepthLimit, rootFieldLimit } from './common/graphql-limits';
import { formatError, unavailablePlugin } from './common/format-error';
import { APP_CONFIG, AppConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { DatabaseService } from './database/database.service';
import { transactionPlugin } from './database/transaction.plugin';
import { NotificationsModule } from './notifications/notifications.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { IdentityModule } from './identity/identity.module';
import { SharingModule } from './sharing/sharing.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { RealtimeModule } from './realtime/realtime.module';
import { VettingModule } from './vetting/vetting.module';
import { WhistleblowingModule } from './whistleblowing/whistleblowing.module';
import { InteropModule } from './interop/interop.module';
import { FederationModule } from './federation/federation.module';
import { CorrelationModule } from './correlation/correlation.module';
import { metricsPlugin } from './operations/metrics.plugin';
import { MetricsService } from './operations/metrics.service';
import { OperationsModule } from './operations/operations.module';
import { ShutdownService } from './operations/shutdown.service';
import { BearerTokenService } from './auth/bearer-token.service';
import { heavyWorkAdmission } from './auth/heavy-work-admission';
import { RealtimeGate } from './realtime/realtime-gate';
import { subscribeAsSubscriber } from './realtime/subscriber-execution';
// The plugin is a marker object: the CommonJS build's serves the ESM server Nest loads.
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };

@Module({})
export class AppModule {
  static register(config: AppConfig, dataSource: DataSource): DynamicModule {
    const configModule: DynamicModule = {
      module: class ConfigModule {},
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
    return {
      module: AppModule,
      imports: [
        configModule,
        DatabaseModule.forDataSource(dataSource),
        OperationsModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [DatabaseService, GraphQLSchemaHost, MetricsService, ShutdownService, BearerTokenService],
          useFactory: (
            db: DatabaseService,
            schemaHost: GraphQLSchemaHost,
            metrics: MetricsService,
            shutdown: ShutdownService,
            tokens: BearerTokenService,
          ) => ({
            path: '/graphql',
            autoSchemaFile: true,
            sortSchema: true,
            introspection: config.introspection,
            graphiql: config.NODE_ENV !== 'production',
            // HTTP: the express request. graphql-ws: the access token from connectionParams, as a header,
            // so the same passport guard authenticates both.
            context: (ctx: { req?: unknown; res?: unknown; connectionParams?: { authorization?: unknown } }) =>
              ctx.req
                ? { req: ctx.req, res: ctx.res }
                : {
                    realtime: true,
                    req: {
                      headers: {
                        authorization:
                          typeof ctx.connectionParams?.authorization === 'string'
                            ? ctx.connectionParams.authorization
                            : '',
                      },
                    },
                  },
            subscriptions: {
              'graphql-ws': new RealtimeGate(tokens, () => schemaHost.schema, {
                maxDepth: config.GRAPHQL_MAX_DEPTH,
                maxCost: config.GRAPHQL_MAX_COST,
                introspection: config.introspection,
                perConnection: config.REALTIME_MAX_SUBSCRIPTIONS_PER_CONNECTION,
                perUser: config.REALTIME_MAX_SUBSCRIPTIONS_PER_USER,
              }).options((socket) => shutdown.track(socket)),
              subscribe: subscribeAsSubscriber(db),
            },
            validationRules: [
              depthLimit(config.GRAPHQL_MAX_DEPTH),
              introspectionDepthLimit,
              rootFieldLimit(config.GRAPHQL_MAX_ROOT_FIELDS),
            ],
            formatError,
            includeStacktraceInErrorResponses: false,
            // Nest would reset every answer that has `data` to 200; UNAVAILABLE must leave as 503 (unavailablePlugin).
            preserveHttpStatusForExecutionErrors: false,
            plugins: [
              // Cache hints are never used (every answer is per caller, `no-store`); the plugin would
              // otherwise wrap every field resolver of every request.
              ApolloServerPluginCacheControlDisabled() as ApolloServerPlugin,
              transactionPlugin(db),
              unavailablePlugin(),
              costLimitPlugin(config.GRAPHQL_MAX_COST, () => schemaHost.schema, heavyWorkAdmission(db, tokens)),
              metricsPlugin(metrics),
            ],
          }),
        }),
        SharingModule,
        AuditModule,
        OutboxModule,
        NotificationsModule,
        AuthModule,
        OrganisationsModule,
        IdentityModule,
        BulletinsModule,
        SubscriptionsModule,
        RealtimeModule,
        VettingModule,
        WhistleblowingModule,
        AuditTrailModule,
        DataProtectionModule,
        CorrelationModule,
        InteropModule,
        FederationModule,
        // Last: its pages are the only routes it answers, after every API route.
        ConsoleModule,
      ],
    };
  }
}
