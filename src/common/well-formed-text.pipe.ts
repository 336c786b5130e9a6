import { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { badInput } from './errors';

/**
 * Refuses strings that are not well-formed Unicode (a lone surrogate such as "\ud800"), anywhere in
 * an argument: Postgres cannot store them, and they would otherwise surface as an internal error.
 */
export class WellFormedTextPipe implements PipeTransform {
  transform<T>(value: T, metadata: ArgumentMetadata): T {
    // Parameter decorators (context, request, actor) carry framework objects, not client input.
    if (metadata.type === 'custom') return value;
    const field = malformed(value, '');
    if (field !== null) throw badInput('Text must be valid Unicode', field || undefined);
    return value;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function malformed(value: unknown, path: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = malformed(v, `${path}[${i}]`);
      if (found !== null) return found;
    }
  } else if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    for (const [k, v] of Object.entries(value)) {
      const found = malformed(v, path ? `${path}.${k}` : k);
      if (found !== null) return found;
    }
  }
  return null;
}
