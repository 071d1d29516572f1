import { certainlyNotSent, networkErrorCode, parseRetryAfter, retryDelayMs } from '../../nodes/shared/helpers/retry';

describe('certainlyNotSent', () => {
	it('is true only for failures before a request is on its way', () => {
		for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']) expect(certainlyNotSent(code)).toBe(true);
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET']) expect(certainlyNotSent(code)).toBe(false);
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds', () => {
		expect(parseRetryAfter('3')).toBe(3);
		expect(parseRetryAfter('0')).toBe(0);
	});

	it('reads an HTTP date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5);
	});

	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('retryDelayMs', () => {
	it('follows Retry-After, capped', () => {
		expect(retryDelayMs(0, '2', 250, 60)).toBe(2000);
		expect(retryDelayMs(0, '3600', 250, 60)).toBe(60_000);
	});

	it('backs off exponentially without Retry-After', () => {
		expect([0, 1, 2, 3].map((n) => retryDelayMs(n, undefined, 250, 60))).toEqual([250, 500, 1000, 2000]);
		expect(retryDelayMs(20, undefined, 250, 60)).toBe(60_000);
	});
});

describe('networkErrorCode', () => {
	it('finds a connection failure in the cause chain', () => {
		const error = new Error('wrapped', { cause: Object.assign(new Error('read'), { code: 'ECONNRESET' }) });
		expect(networkErrorCode(error)).toBe('ECONNRESET');
		expect(networkErrorCode(new Error('socket hang up'))).toBe('ECONNRESET');
	});

	it("finds it where n8n 1.x's NodeApiError left only its code, as httpCode", () => {
		expect(
			networkErrorCode(Object.assign(new Error('The connection to the server was closed unexpectedly'), { httpCode: 'ECONNRESET' })),
		).toBe('ECONNRESET');
		expect(networkErrorCode(Object.assign(new Error('Bad request'), { httpCode: '400' }))).toBeUndefined();
	});

	it('is undefined for other errors', () => {
		expect(networkErrorCode(new Error('Node does not have any credentials'))).toBeUndefined();
		expect(networkErrorCode(undefined)).toBeUndefined();
	});
});
