'use strict';
const { start, sleep } = require('./helpers');
const { DEMO_KEY } = require('../../sandbox');

const RATE_HEADERS = [
	'x-ratelimit-limit-minute',
	'x-ratelimit-remaining-minute',
	'x-ratelimit-limit-day',
	'x-ratelimit-remaining-day',
	'x-ratelimit-reset',
];

let s;
beforeAll(async () => {
	s = await start();
});
afterAll(() => s.sandbox.close());

const expectCommonHeaders = (res) => {
	expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{12}$/);
	for (const header of RATE_HEADERS) expect(res.headers.get(header)).toMatch(/^\d+$/);
};

describe('authentication', () => {
	test('the demo key works and responses carry request id and rate headers', async () => {
		const res = await s.api('GET', '/templates', { key: DEMO_KEY });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json');
		expectCommonHeaders(res);
		expect(res.headers.get('x-ratelimit-limit-minute')).toBe('60');
		expect(res.headers.get('x-ratelimit-limit-day')).toBe('1000');
	});

	test.each([
		['missing', undefined],
		['malformed', 'not-a-key'],
		['unknown', `lk_sk_test_${'0'.repeat(40)}`],
		['uppercase hex', `lk_sk_test_${'A'.repeat(40)}`],
	])('%s key → 401 with default limits', async (_name, key) => {
		const res = await s.api('GET', '/templates', { key });
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ detail: 'Invalid or revoked API key' });
		expectCommonHeaders(res);
		expect(res.headers.get('x-ratelimit-remaining-minute')).toBe('60');
		expect(res.headers.get('x-ratelimit-remaining-day')).toBe('1000');
	});

	test('a revoked key → 401', async () => {
		const { id } = await s.tenant();
		const extra = await s.control('POST', `/tenants/${id}/keys`, { scopes: ['templates:read'], mode: 'live' });
		expect(extra.status).toBe(201);
		expect(extra.body.key).toMatch(/^lk_sk_live_[0-9a-f]{40}$/);
		expect((await s.api('GET', '/templates', { key: extra.body.key })).status).toBe(200);
		expect((await s.control('DELETE', `/keys/${extra.body.key}`)).body).toEqual({ key: extra.body.key, revoked: true });
		const res = await s.api('GET', '/templates', { key: extra.body.key });
		expect(res.status).toBe(401);
		expect(res.body.detail).toBe('Invalid or revoked API key');
	});

	test('a tenant without API access → 403 string detail', async () => {
		const { key } = await s.tenant({ plan: 'free', api_enabled: false });
		const res = await s.api('GET', '/templates', { key });
		expect(res.status).toBe(403);
		expect(res.body).toEqual({ detail: 'API access is not enabled for your plan' });
		expectCommonHeaders(res);
	});

	test('a key without the scope → 403 object detail', async () => {
		const { id } = await s.tenant();
		const { body } = await s.control('POST', `/tenants/${id}/keys`, { scopes: ['templates:read'] });
		const res = await s.api('POST', '/messages/template', { key: body.key, body: {} });
		expect(res.status).toBe(403);
		expect(res.body).toEqual({
			detail: {
				message: 'Missing required scope(s): messages:send',
				required_permissions: ['messages:send'],
				current_permissions: ['templates:read'],
			},
		});
	});

	test('401 and 403 are not counted against the rate limit', async () => {
		const { id, key } = await s.tenant({ limits: { per_minute: 5 } });
		const readOnly = (await s.control('POST', `/tenants/${id}/keys`, { scopes: ['templates:read'] })).body.key;
		await s.api('POST', '/templates', { key: readOnly, body: {} });
		const res = await s.api('GET', '/templates', { key });
		expect(res.headers.get('x-ratelimit-remaining-minute')).toBe('4');
	});
});

describe('request ids and unknown routes', () => {
	test('the client X-Request-Id is echoed', async () => {
		const res = await s.api('GET', '/templates', { key: DEMO_KEY, headers: { 'X-Request-Id': 'my-trace-42' } });
		expect(res.headers.get('x-request-id')).toBe('my-trace-42');
	});

	test('unknown routes → 404 with headers, wrong method → 405', async () => {
		const unknown = await s.api('GET', '/nope');
		expect(unknown.status).toBe(404);
		expect(unknown.body).toEqual({ detail: 'Not Found' });
		expectCommonHeaders(unknown);
		const wrong = await s.api('DELETE', '/templates', { key: DEMO_KEY });
		expect(wrong.status).toBe(405);
		expect(wrong.body).toEqual({ detail: 'Method Not Allowed' });
		expectCommonHeaders(wrong);
	});

	test('paths outside the API also carry the headers', async () => {
		const res = await fetch(`${s.sandbox.url}/elsewhere`);
		expect(res.status).toBe(404);
		expect(res.headers.get('x-request-id')).toMatch(/^req_/);
		expect(res.headers.get('x-ratelimit-limit-minute')).toBe('60');
		await res.text();
	});
});

describe('rate limits', () => {
	test('per-minute window: 429 + Retry-After, not counted, then the window resets', async () => {
		const { key } = await s.tenant({ limits: { per_minute: 3, minute_window_ms: 1500 } });
		// start at the beginning of a window so that the whole burst lands in it
		await sleep(1500 - (Date.now() % 1500) + 20);
		const statuses = [];
		let last;
		for (let i = 0; i < 5; i++) {
			last = await s.api('GET', '/templates', { key });
			statuses.push(last.status);
		}
		expect(statuses).toEqual([200, 200, 200, 429, 429]);
		expect(last.body).toEqual({ detail: 'Rate limit exceeded. Please slow down.' });
		expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(Number(last.headers.get('retry-after'))).toBeLessThanOrEqual(2);
		expect(last.headers.get('x-ratelimit-remaining-minute')).toBe('0');
		expect(last.headers.get('x-ratelimit-limit-minute')).toBe('3');
		expect(last.headers.get('x-ratelimit-remaining-day')).toBe('997');
		const windowEnd = Math.ceil(Date.now() / 1500) * 1500;
		expect(Number(last.headers.get('x-ratelimit-reset'))).toBe(Math.ceil(windowEnd / 1000));
		await sleep(windowEnd - Date.now() + 20);
		const after = await s.api('GET', '/templates', { key });
		expect(after.status).toBe(200);
		expect(after.headers.get('x-ratelimit-remaining-minute')).toBe('2');
	});

	test('per-day window: Remaining-Day 0 and Retry-After until the day window ends', async () => {
		const { key } = await s.tenant({ limits: { per_minute: 100, per_day: 2, minute_window_ms: 1000, day_window_ms: 3_600_000 } });
		await s.api('GET', '/templates', { key });
		await s.api('GET', '/templates', { key });
		const res = await s.api('GET', '/templates', { key });
		expect(res.status).toBe(429);
		expect(res.headers.get('x-ratelimit-remaining-day')).toBe('0');
		const dayEnd = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
		const expected = Math.ceil((dayEnd - Date.now()) / 1000);
		expect(Math.abs(Number(res.headers.get('retry-after')) - expected)).toBeLessThanOrEqual(1);
	});

	test('tenants are isolated', async () => {
		const a = await s.tenant({ limits: { per_minute: 1, minute_window_ms: 60_000 } });
		const b = await s.tenant({ limits: { per_minute: 1, minute_window_ms: 60_000 } });
		await s.api('GET', '/templates', { key: a.key });
		expect((await s.api('GET', '/templates', { key: a.key })).status).toBe(429);
		expect((await s.api('GET', '/templates', { key: b.key })).status).toBe(200);
	});

	test('plan and scope are checked before the rate limit', async () => {
		const { id, key } = await s.tenant({ limits: { per_minute: 1 } });
		await s.api('GET', '/templates', { key });
		const readOnly = (await s.control('POST', `/tenants/${id}/keys`, { scopes: ['templates:read'] })).body.key;
		expect((await s.api('POST', '/templates', { key: readOnly, body: {} })).status).toBe(403);
		expect((await s.api('GET', '/templates', { key })).status).toBe(429);
	});
});
