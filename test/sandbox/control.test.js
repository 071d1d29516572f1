'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { start, receiver, sleep } = require('./helpers');
const { startSandbox, DEMO_KEY, DEMO_TENANT_ID } = require('../../sandbox');

let s;
beforeAll(async () => {
	s = await start();
});
afterAll(() => s.sandbox.close());

test('the sandbox object', () => {
	expect(s.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	expect(s.sandbox.apiUrl).toBe(`${s.sandbox.url}/api/v1/public`);
	expect(s.sandbox.controlUrl).toBe(`${s.sandbox.url}/_sandbox`);
	expect(s.sandbox.demoKey).toBe(DEMO_KEY);
	expect(DEMO_KEY).toMatch(/^lk_sk_test_[0-9a-f]{40}$/);
});

test('health and config', async () => {
	expect((await s.control('GET', '/health')).body).toEqual({ ok: true });
	expect((await s.control('GET', '/config')).body).toEqual({
		time_scale: 1,
		delivery_timeout_ms: 10000,
		idempotency_ttl_ms: 86400000,
		docs_only: false,
	});
	const updated = await s.control('PATCH', '/config', { time_scale: 0.5 });
	expect(updated.body.time_scale).toBe(0.5);
	expect((await s.control('PATCH', '/config', { time_scale: -1 })).status).toBe(400);
	expect((await s.control('PATCH', '/config', { nope: 1 })).status).toBe(400);
	await s.control('PATCH', '/config', { time_scale: 1 });
});

test('create, read and update a tenant', async () => {
	const created = await s.control('POST', '/tenants', {
		plan: 'starter',
		limits: { per_minute: 100, minute_window_ms: 2000 },
		review: { delay_ms: 10, outcome: 'rejected' },
		failing_numbers: ['+15550100666'],
	});
	expect(created.status).toBe(201);
	expect(created.body.key).toMatch(/^lk_sk_test_[0-9a-f]{40}$/);
	expect(created.body.tenant).toMatchObject({
		id: created.body.tenant_id,
		plan: 'starter',
		api_enabled: true,
		waba_active: true,
		allow_http_loopback: true,
		limits: { per_minute: 100, per_day: 1000, minute_window_ms: 2000, day_window_ms: 86400000 },
		review: { delay_ms: 10, outcome: 'rejected', outcomes: {} },
		lifecycle: { enabled: true, sent_ms: 200, delivered_ms: 500, read_ms: 1000 },
		failing_numbers: ['+15550100666'],
		media_limits: { image: 5 * 1024 * 1024, video: 16 * 1024 * 1024, other: 100 * 1024 * 1024 },
		keys: [expect.objectContaining({ key: created.body.key, mode: 'test', revoked: false })],
	});
	const id = created.body.tenant_id;
	const updated = await s.control('PATCH', `/tenants/${id}`, { waba_active: false, limits: { per_day: 5 } });
	expect(updated.body.tenant).toMatchObject({ waba_active: false, limits: { per_minute: 100, per_day: 5 } });
	expect((await s.control('GET', `/tenants/${id}`)).body.tenant.waba_active).toBe(false);
	expect((await s.control('GET', '/tenants/tn_unknown')).status).toBe(404);
});

test.each([
	[{ plan: 'gold' }],
	[{ limits: { per_minute: -1 } }],
	[{ limits: { minute_window_ms: 0 } }],
	[{ review: { outcome: 'maybe' } }],
	[{ lifecycle: { sent_ms: 'soon' } }],
	[{ unknown: true }],
	[{ failing_numbers: '+1555' }],
])('400 for bad tenant settings %j', async (settings) => {
	const res = await s.control('POST', '/tenants', settings);
	expect(res.status).toBe(400);
	expect(typeof res.body.detail).toBe('string');
});

test('keys: bad scopes or mode → 400; unknown key revoke → 404', async () => {
	const { id } = await s.tenant();
	expect((await s.control('POST', `/tenants/${id}/keys`, { scopes: ['root'] })).status).toBe(400);
	expect((await s.control('POST', `/tenants/${id}/keys`, { mode: 'prod' })).status).toBe(400);
	expect((await s.control('DELETE', '/keys/lk_sk_test_nothing')).status).toBe(404);
});

test('seeding templates: any status, validation, set status', async () => {
	const { id, key } = await s.tenant();
	const tpl = { template_name: 'seeded', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi' }] };
	const draft = await s.control('POST', `/tenants/${id}/templates`, { ...tpl, status: 'draft' });
	expect(draft.body.data[0]).toMatchObject({ status: 'draft', updated_at: null });
	expect((await s.control('POST', `/tenants/${id}/templates`, tpl)).status).toBe(409);
	expect((await s.control('POST', `/tenants/${id}/templates`, { ...tpl, template_name: 'Bad' })).status).toBe(422);
	expect((await s.control('POST', `/tenants/${id}/templates`, { ...tpl, template_name: 'x', status: 'lost' })).status).toBe(400);
	const fixedId = '11111111-2222-4333-8444-555555555555';
	const fixed = await s.control('POST', `/tenants/${id}/templates`, { ...tpl, template_name: 'fixed', id: fixedId });
	expect(fixed.body.data[0]).toMatchObject({ id: fixedId, status: 'approved' });
	expect((await s.api('GET', `/templates/${fixedId}`, { key })).status).toBe(200);
	const patched = await s.control('PATCH', `/tenants/${id}/templates/${draft.body.data[0].id}`, { status: 'approved' });
	expect(patched.body.data.status).toBe('approved');
	expect((await s.control('PATCH', `/tenants/${id}/templates/${draft.body.data[0].id}`, { status: 'odd' })).status).toBe(400);
	expect((await s.control('POST', `/tenants/${id}/templates`, { generate: 0 })).status).toBe(400);
});

test('control errors: unknown route, wrong method, bad JSON', async () => {
	expect((await s.control('GET', '/nothing')).status).toBe(404);
	expect((await s.control('DELETE', '/health')).status).toBe(405);
	const res = await fetch(`${s.sandbox.controlUrl}/tenants`, { method: 'POST', body: '{oops' });
	expect(res.status).toBe(400);
	await res.text();
});

test('reset restores the seeded state and cancels pending work', async () => {
	const { id, key } = await s.tenant({ review: { delay_ms: 100 } });
	const created = (
		await s.api('POST', '/templates', {
			key,
			body: { template_name: 'later', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi' }] },
		})
	).body;
	await s.api('POST', `/templates/${created.id}/submit`, { key });
	const demoTemplates = await s.readBack(DEMO_TENANT_ID, 'templates');
	await s.control('POST', `/tenants/${DEMO_TENANT_ID}/templates`, { generate: 2 });
	const res = await s.control('POST', '/reset');
	expect(res.body).toEqual({ ok: true, demo_tenant_id: DEMO_TENANT_ID, demo_key: DEMO_KEY });
	expect((await s.api('GET', '/templates', { key })).status).toBe(401);
	expect((await s.control('GET', `/tenants/${id}`)).status).toBe(404);
	expect(await s.readBack(DEMO_TENANT_ID, 'templates')).toEqual(demoTemplates);
	expect((await s.api('GET', '/templates', { key: DEMO_KEY })).status).toBe(200);
});

test('seed: false starts empty', async () => {
	const empty = await startSandbox({ port: 0, seed: false });
	try {
		expect(empty.demoKey).toBeNull();
		const res = await fetch(`${empty.apiUrl}/templates`, { headers: { Authorization: `Bearer ${DEMO_KEY}` } });
		expect(res.status).toBe(401);
		await res.text();
	} finally {
		await empty.close();
	}
});

test('close() cancels timers and pending retries', async () => {
	const other = await startSandbox({ port: 0 });
	const failing = await receiver(() => 500);
	try {
		const api = (p, init) =>
			fetch(other.apiUrl + p, { ...init, headers: { Authorization: `Bearer ${other.demoKey}`, 'Content-Type': 'application/json' } });
		const created = await (
			await api('/webhooks', { method: 'POST', body: JSON.stringify({ url: failing.url, events: ['message.sent'] }) })
		).json();
		expect(created.data.id).toBeDefined();
		const send = await api('/messages/template', {
			method: 'POST',
			body: JSON.stringify({ to: '+15550100002', template_name: 'welcome_message' }),
		});
		expect(send.status).toBe(200);
		await send.text();
	} finally {
		await other.close();
		await failing.close();
	}
	await sleep(300);
	expect(failing.received).toHaveLength(0);
	await other.close();
});

test('the CLI prints the URLs and the demo key, and stops on SIGTERM', async () => {
	const child = spawn(process.execPath, [path.join(__dirname, '../../sandbox/cli.js')], {
		env: { ...process.env, LYNKIST_SANDBOX_PORT: '0', PORT: '' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', (chunk) => {
		out += chunk;
	});
	await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 5000);
		child.stdout.on('data', () => {
			if (out.includes('Control URL')) {
				clearTimeout(timer);
				resolve();
			}
		});
	});
	expect(out).toMatch(/API base URL: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/public/);
	expect(out).toContain(DEMO_KEY);
	expect(out).toMatch(/Control URL:\s+http:\/\/127\.0\.0\.1:\d+\/_sandbox/);
	const apiUrl = /API base URL: (\S+)/.exec(out)[1];
	const res = await fetch(`${apiUrl}/templates`, { headers: { Authorization: `Bearer ${DEMO_KEY}` } });
	expect(res.status).toBe(200);
	await res.text();
	const code = await new Promise((resolve) => {
		child.on('exit', resolve);
		child.kill('SIGTERM');
	});
	expect(code).toBe(0);
});
