import { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { badInput } from './errors';

/**
 * Refuses, anywhere in an argument, strings Postgres cannot store (a lone surrogate such as "\ud800",
 * or a NUL character), which would otherwise surface as an internal error, and input nested deeper
 * than any argument of the schema needs (a JSON value 5,000 levels deep), before walking it further.
 */
export class WellFormedTextPipe implements PipeTransform {
  transform<T>(value: T, metadata: ArgumentMetadata): T {
    // Parameter decorators (context, request, actor) carry framework objects, not client input.
    if (metadata.type === 'custom') return value;
    const problem = illFormed(value);
    if (problem) throw badInput(problem.message, problem.path);
    return value;
  }
}

/** What is wrong with a value that did not come through a pipe (a posted STIX object), if anything. */
export function illFormed(value: unknown): { message: string; path?: string } | null {
  const found = malformed(value, '', 0);
  if (found === TOO_DEEP) return { message: `Input is nested more than ${MAX_DEPTH} levels deep` };
  if (found !== null) return { message: 'Text must be valid Unicode without NUL characters', path: found || undefined };
  return null;
}

// eslint-disable-next-line no-control-regex -- NUL is exactly what Postgres cannot store
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Deeper than any input type of the schema, with room for STIX bundles' own nesting. */
const MAX_DEPTH = 64;
const TOO_DEEP = Symbol('too deep');

function malformed(value: unknown, path: string, depth: number): string | null | typeof TOO_DEEP {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (depth > MAX_DEPTH && value && typeof value === 'object') return TOO_DEEP;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = malformed(v, `${path}[${i}]`, depth + 1);
      if (found !== null) return found;
    }
  } else if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    for (const [k, v] of Object.entries(value)) {
      const found = malformed(v, path ? `${path}.${k}` : k, depth + 1);
      if (found !== null) return found;
    }
  }
  return null;
}
