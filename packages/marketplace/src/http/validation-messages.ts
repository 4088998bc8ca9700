import type { FastifySchemaValidationError } from 'fastify';

/**
 * Turns JSON-schema validation errors into sentences a person can act on, e.g.
 * `category must be one of: mystery, science-fiction, self-help`.
 */
export function describeValidationErrors(errors: readonly FastifySchemaValidationError[]): string[] {
  return errors.map((error) => {
    const params = error.params;
    const field = error.instancePath.replace(/^\//, '') || 'the query';
    switch (error.keyword) {
      case 'enum':
        return `${field} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
      case 'additionalProperties':
        return `unknown parameter "${String(params.additionalProperty)}"`;
      case 'type':
        return `${field} must be ${params.type === 'integer' ? 'a whole number' : `of type ${String(params.type)}`}`;
      case 'minimum':
      case 'maximum':
        return `${field} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`;
      default:
        return `${field} ${error.message ?? 'is invalid'}`;
    }
  });
}
