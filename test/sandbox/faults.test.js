'use strict';
const { start } = require('./helpers');

let s;
beforeAll(async () => {
	s = await start();
});
afterAll(() => s.sandbox.close());

const body = { to: '+15550100002', template_name: 'hello' };

async function tenant(settings = {}) {
	const t = await s.tenant({ lifecycle: { enabled: false }, ...settings });
	await s.control('POST', `/tenants/${t.id}/templates`, {
		template_name: 'hello',
		language: 'en',
		category: 'UTILITY',
		components: [{ type: 'BODY', text: 'Hi' }],
	});
	return t;
}
const send = (t, headers) => s.api('POST', '/messages/template', { key: t.key, body, headers });
const fault = (t, spec) => s.control('POST', `/tenants/${t.id}/faults`, spec);

test('status fault: answers the given status and detail without processing, then stops', async () => {
	const t = await tenant();
	const added = await fault(t, {
		kind: 'status',
		method: 'POST',
		path: '/messages',
		status: 502,
		times: 2,
		headers: { 'Retry-After': '1' },
	});
	expect(added.status).toBe(201);
	expect(added.body.data).toMatchObject({ kind: 'status', method: 'POST', path: '/messages', times: 2 });
	const first = await send(t);
	expect(first.status).toBe(502);
	expect(first.body).toEqual({ detail: 'Upstream error' });
	expect(first.headers.get('retry-after')).toBe('1');
	expect(first.headers.get('x-request-id')).toMatch(/^req_/);
	expect(first.headers.get('x-ratelimit-limit-minute')).toBe('60');
	expect((await send(t)).status).toBe(502);
	expect((await send(t)).status).toBe(200);
	expect(await s.readBack(t.id, 'messages')).toHaveLength(1);
	expect(await s.readBack(t.id, 'faults')).toEqual([]);
});

test('status fault with a custom detail, matched by full path and any method', async () => {
	const t = await tenant();
	await fault(t, { kind: 'status', path: '/api/v1/public/templates', status: 504, detail: 'Meta timed out' });
	const res = await s.api('GET', '/templates', { key: t.key });
	expect(res.status).toBe(504);
	expect(res.body).toEqual({ detail: 'Meta timed out' });
	expect((await send(t)).status).toBe(200);
});

test('faults only match their method and path', async () => {
	const t = await tenant();
	await fault(t, { kind: 'status', method: 'GET', path: '/templates', status: 502 });
	expect((await send(t)).status).toBe(200);
	expect((await s.api('GET', '/templates', { key: t.key })).status).toBe(502);
});

test('a fault with `to` only matches requests whose body names that recipient', async () => {
	const t = await tenant();
	await fault(t, {
		kind: 'status',
		method: 'POST',
		path: '/messages/template',
		to: '+15550100009',
		status: 422,
		detail: 'Parameter mismatch',
	});
	expect((await send(t)).status).toBe(200);
	const other = await s.api('POST', '/messages/template', { key: t.key, body: { ...body, to: '+15550100009' } });
	expect(other.status).toBe(422);
	expect(other.body).toEqual({ detail: 'Parameter mismatch' });
	expect((await s.api('POST', '/messages/template', { key: t.key, body: { ...body, to: '+15550100009' } })).status).toBe(200);
	expect(await s.readBack(t.id, 'messages')).toHaveLength(2);
});

test('a fault with `every: 3` hits every third matching request, `times` times', async () => {
	const t = await tenant();
	await fault(t, { kind: 'status', method: 'POST', path: '/messages/template', status: 502, every: 3, times: 2 });
	const statuses = [];
	for (let i = 0; i < 9; i++) statuses.push((await send(t)).status);
	expect(statuses).toEqual([200, 200, 502, 200, 200, 502, 200, 200, 200]);
	expect((await fault(t, { kind: 'status', every: 0 })).status).toBe(400);
});

test('reset fault: the socket is destroyed and nothing is committed', async () => {
	const t = await tenant();
	await fault(t, { kind: 'reset', path: '/messages/template' });
	await expect(send(t, { 'Idempotency-Key': '00000000-0000-4000-8000-000000000001' })).rejects.toThrow();
	expect(await s.readBack(t.id, 'messages')).toEqual([]);
	const retry = await send(t, { 'Idempotency-Key': '00000000-0000-4000-8000-000000000001' });
	expect(retry.status).toBe(200);
	expect(await s.readBack(t.id, 'replays')).toEqual([]);
	const log = await s.readBack(t.id, 'requests');
	expect(log.map((r) => r.outcome)).toEqual(['reset', null]);
});

test('lost_response fault: committed, then an idempotent retry yields exactly one message', async () => {
	const t = await tenant();
	await fault(t, { kind: 'lost_response', method: 'POST', path: '/messages/template' });
	const headers = { 'Idempotency-Key': '00000000-0000-4000-8000-000000000002' };
	await expect(send(t, headers)).rejects.toThrow();
	const committed = await s.readBack(t.id, 'messages');
	expect(committed).toHaveLength(1);
	const retry = await send(t, headers);
	expect(retry.status).toBe(200);
	expect(retry.body.message_id).toBe(committed[0].message_id);
	expect(await s.readBack(t.id, 'messages')).toHaveLength(1);
	expect(await s.readBack(t.id, 'replays')).toHaveLength(1);
});

test('latency fault and tenant-wide latency delay the answer', async () => {
	const t = await tenant();
	await fault(t, { kind: 'latency', latency_ms: 300 });
	let started = Date.now();
	expect((await send(t)).status).toBe(200);
	expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	started = Date.now();
	await send(t);
	expect(Date.now() - started).toBeLessThan(200);
	await s.control('PATCH', `/tenants/${t.id}`, { latency_ms: 150 });
	started = Date.now();
	await s.api('GET', '/templates', { key: t.key });
	expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});

test('faults can be listed and cleared; bad specs are refused', async () => {
	const t = await tenant();
	await fault(t, { kind: 'status', times: 5 });
	expect(await s.readBack(t.id, 'faults')).toHaveLength(1);
	expect((await s.control('DELETE', `/tenants/${t.id}/faults`)).body).toEqual({ cleared: 1 });
	expect((await fault(t, { kind: 'explode' })).status).toBe(400);
	expect((await fault(t, { kind: 'status', times: 0 })).status).toBe(400);
	expect((await fault(t, { kind: 'status', path: 'messages' })).status).toBe(400);
	expect((await s.control('POST', '/tenants/tn_missing/faults', { kind: 'reset' })).status).toBe(404);
});
