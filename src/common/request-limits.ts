/** The largest JSON body (GraphQL, TAXII): room for the largest valid bulletin (100,000 characters) plus JSON overhead. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** JSON bodies, TAXII's media type included (`application/taxii+json;version=2.1`). */
export const JSON_MEDIA_TYPES = ['application/json', 'application/taxii+json'];
