/** When and how long to wait before sending a failed request again. Pure. */

const NETWORK_CODES = new Set([
	'ENOTFOUND',
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Connection failures that happen before a request is on its way: it certainly did not reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a connection failure (by its code) left the request unsent, so that sending it again is safe for any request. */
export function certainlyNotSent(code: string): boolean {
	return NOT_SENT_CODES.has(code);
}

/** The code of a connection-level failure in the error or its causes, or undefined for any other error. */
export function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const { code, httpCode, message } = current as { code?: unknown; httpCode?: unknown; message?: unknown };
		if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
		// n8n 1.x's NodeApiError keeps no cause: only the network error's code, as its httpCode
		if (typeof httpCode === 'string' && NETWORK_CODES.has(httpCode)) return httpCode;
		if (typeof message === 'string' && /socket hang up/i.test(message)) return 'ECONNRESET';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * Wait before retry number `attempt` (0-based): what Retry-After asks, capped; otherwise an
 * exponential back-off from `baseMs`, capped likewise.
 */
export function retryDelayMs(attempt: number, retryAfter: string | undefined, baseMs: number, capSeconds: number): number {
	const asked = parseRetryAfter(retryAfter);
	if (asked !== undefined) return Math.min(asked, capSeconds) * 1000;
	return Math.min(baseMs * 2 ** attempt, capSeconds * 1000);
}
