import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { GraphQLSchema, Kind, OperationDefinitionNode } from 'graphql';
import { MetricsService } from './metrics.service';

/**
 * Counts and times every GraphQL operation by its root field and type. Labels come from the schema,
 * never from what a client names its operation, so unauthenticated clients cannot grow the series:
 * one root field gives its name, several give "multiple", anything unresolved "other".
 */
export function metricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, errors, schema }) {
          const labels = { operation: rootFieldLabel(operation, schema), type: operation?.operation ?? 'invalid' };
          metrics.latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          metrics.operations.inc({ ...labels, outcome: errors?.length ? 'error' : 'ok' });
        },
      };
    },
  };
}

function rootFieldLabel(operation: OperationDefinitionNode | undefined | null, schema: GraphQLSchema): string {
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 'other';
  const names = new Set(operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '')));
  if (names.size !== 1) return names.size ? 'multiple' : 'other';
  const [name] = names;
  return name in root.getFields() ? name : 'other';
}
