/**
 * What the package takes from the Lynkist contract. Values Lynkist documents are marked [doc];
 * values it does not document are this package's decision, marked [assumed] and listed in the
 * README, so that a Lynkist that differs is a one-line change here.
 */

/** [doc] Name of the n8n credential type every request authenticates with. */
export const CREDENTIAL_TYPE = 'lynkistApi';

/** [doc] Page size bounds of list endpoints. */
export const PAGE_SIZE_MAX = 100;

/** [doc] Status codes after which the same request may be sent again. */
export const RETRYABLE_STATUSES = [429, 502, 503, 504];

/** How many times a retryable failure is retried before the item fails. */
export const DEFAULT_MAX_RETRIES = 5;

/** Longest single wait on a 429's Retry-After before retrying, in seconds. */
export const MAX_RETRY_AFTER_SECONDS = 60;

/** First back-off after a 5xx or network error, doubled each retry, in milliseconds. */
export const BACKOFF_BASE_MS = 250;

/** [doc] The response header carrying Lynkist's request id. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** [doc] Scopes, as the API names them. */
export const SCOPES = {
	templatesRead: 'templates:read',
	templatesWrite: 'templates:write',
	messagesSend: 'messages:send',
	mediaWrite: 'media:write',
	webhooksRead: 'webhooks:read',
	webhooksWrite: 'webhooks:write',
} as const;

/** How many times one request may meet a 429 of the minute budget and wait for the reset. */
export const MAX_RATE_LIMIT_WAITS = 30;

/** Added to a rate-limit reset before requests resume, so clocks a little apart do not meet a 429. */
export const RESET_MARGIN_MS = 25;

/** [doc] Header that makes a send safe to repeat. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** [doc] The multipart field of POST /media/upload that carries the file. */
export const MEDIA_FIELD = 'file';
