import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { MetricsService } from './metrics.service';

/** Counts and times every GraphQL operation by its name (or "anonymous") and type. */
export function metricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, errors }) {
          const labels = { operation: operationName ?? 'anonymous', type: operation?.operation ?? 'invalid' };
          metrics.latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          metrics.operations.inc({ ...labels, outcome: errors?.length ? 'error' : 'ok' });
        },
      };
    },
  };
}
