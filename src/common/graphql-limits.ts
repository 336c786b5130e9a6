// Nest loads Apollo as ESM; take its types from the same build.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { getComplexity } from 'graphql-query-complexity';
import {
  ASTVisitor,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNullableType,
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';
import { AppError, BeyondLimitsError, ErrorCode } from './errors';

/** Apollo answers errors thrown by plugins with HTTP 500 unless told otherwise (and strips `http`). */
const BAD_REQUEST = { http: { status: 400 } };

/**
 * The estimated cost of an operation, counting work: a field costs the length of the longest list its
 * arguments carry (1,000 subjects to cross-match cost 1,000; at least 1), plus its children multiplied
 * by `first` on paginated lists, so nested large pages add up the way they would hit the database.
 * Throws BAD_USER_INPUT when the variables do not fit, or when the cost exceeds `max`.
 */
export function assertAffordable(
  max: number,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
): void {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables,
      operationName: operationName ?? undefined,
      estimators: [
        ({ args, field, childComplexity }) =>
          Math.max(1, ...field.args.map((a) => longestList(a.type, args[a.name]))) +
          childComplexity * (typeof args.first === 'number' ? Math.max(args.first, 1) : 1),
      ],
    });
  } catch (err) {
    // Estimating coerces the variables first; invalid ones are the client's error, said plainly.
    if (err instanceof GraphQLError) throw new AppError(ErrorCode.BAD_USER_INPUT, err.message, BAD_REQUEST);
    throw err;
  }
  if (cost > max) throw new BeyondLimitsError(`Query is too expensive: cost ${cost} exceeds the limit of ${max}`);
}

/** The longest list in an argument's value: typed lists, inside input objects too (a JSON scalar is not walked). */
function longestList(type: GraphQLInputType, value: unknown): number {
  const nullable = getNullableType(type);
  if (value === null || value === undefined) return 0;
  if (isListType(nullable)) {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    // A thousand subjects hold no lists: walk the items only when their type can.
    if (!holdsLists(nullable.ofType)) return items.length;
    return items.reduce<number>((longest, item) => Math.max(longest, longestList(nullable.ofType, item)), items.length);
  }
  if (isInputObjectType(nullable))
    return Object.values(nullable.getFields()).reduce(
      (longest, f) => Math.max(longest, longestList(f.type, (value as Record<string, unknown>)[f.name])),
      0,
    );
  return 0;
}

const listHolders = new WeakMap<GraphQLInputObjectType, boolean>();

/** Whether a value of `type` can contain a list (input types are fixed once the schema is built). */
function holdsLists(type: GraphQLInputType, visiting = new Set<GraphQLInputObjectType>()): boolean {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return true;
  if (!isInputObjectType(nullable) || visiting.has(nullable)) return false; // a cycle: its other fields decide
  const known = listHolders.get(nullable);
  if (known !== undefined) return known;
  visiting.add(nullable);
  const holds = Object.values(nullable.getFields()).some((f) => holdsLists(f.type, visiting));
  visiting.delete(nullable);
  // Inside a cycle the answer may lean on an ancestor still being decided: remember only the outermost.
  if (!visiting.size) listHolders.set(nullable, holds);
  return holds;
}

/** What may refuse an operation before its cost is estimated (estimating reads every variable). */
export type Admission = (request: {
  operation: OperationDefinitionNode;
  document: DocumentNode;
  schema: GraphQLSchema;
  authorization: string | undefined;
}) => Promise<void>;

/**
 * Refuses HTTP documents whose estimated cost exceeds `max` before anything executes. `admit` runs
 * first (Apollo runs these hooks side by side, so it cannot be a plugin of its own): what it refuses
 * costs no estimate, and no coercion of a thousand subjects.
 */
export function costLimitPlugin(max: number, schemaOf: () => GraphQLSchema, admit?: Admission): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (admit && operation)
            await admit({
              operation,
              document,
              schema: schemaOf(),
              authorization: request.http?.headers.get('authorization'),
            });
          assertAffordable(max, schemaOf(), document, request.variables, request.operationName);
        },
      };
    },
  };
}

/** The fields at an operation's root, through fragments (each once). */
export function rootFields(operation: OperationDefinitionNode, document: DocumentNode): FieldNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) fields.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value) && fragments.has(s.name.value)) {
        seen.add(s.name.value);
        walk(fragments.get(s.name.value)!.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return fields;
}

/**
 * At most `max` fields at an operation's root, aliases and fragments counted: each root field is its
 * own resolver with its own reads and audit events, so 300 aliases of one field would be 300 requests
 * in one, holding one transaction (and its organisation's locks) for all of them.
 */
export function rootFieldLimit(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      // A fragment spread twice counts once: its fields merge into the same answers.
      const fields = rootFields(node, context.getDocument()).filter((f) => !f.name.value.startsWith('__')).length;
      if (fields > max)
        context.reportError(
          new BeyondLimitsError(
            `A request may ask for at most ${max} fields at its root (aliases count), not ${fields}: send several requests`,
            node,
          ),
        );
      return false;
    },
  });
}

/** Deep enough for GraphiQL's and the code generators' introspection queries (about 13 levels). */
const INTROSPECTION_MAX_DEPTH = 16;

/**
 * graphql-depth-limit skips introspection fields, so `__schema { types { fields { type { fields ...` could
 * nest (and fan out) without bound. This rule measures every introspection subtree, through fragments.
 */
export function introspectionDepthLimit(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of context.getDocument().definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const depthOf = (set: SelectionSetNode | undefined, visiting: Set<string>): number => {
    let deepest = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD)
        deepest = Math.max(deepest, s.selectionSet ? 1 + depthOf(s.selectionSet, visiting) : 1);
      else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, visiting));
      else {
        const name = s.name.value;
        if (visiting.has(name)) continue; // a cycle: NoFragmentCyclesRule reports it
        if (!memo.has(name)) memo.set(name, depthOf(fragments.get(name)?.selectionSet, new Set(visiting).add(name)));
        deepest = Math.max(deepest, memo.get(name)!);
      }
    }
    return deepest;
  };
  return {
    Field(node) {
      if (!node.name.value.startsWith('__') || !node.selectionSet) return;
      const depth = 1 + depthOf(node.selectionSet, new Set());
      if (depth > INTROSPECTION_MAX_DEPTH) {
        context.reportError(
          new GraphQLError(`Introspection nests ${depth} levels deep; the limit is ${INTROSPECTION_MAX_DEPTH}`, {
            nodes: node,
          }),
        );
      }
      return false; // its subtree is measured
    },
  };
}
