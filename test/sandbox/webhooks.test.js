'use strict';
const { start, receiver, verify } = require('./helpers');

let s;
let t;
let hook;
beforeAll(async () => {
	s = await start();
	t = await s.tenant({ limits: { per_minute: 10000 } });
	hook = await receiver();
});
afterAll(async () => {
	await s.sandbox.close();
	await hook.close();
});

const create = (body, key = t.key) => s.api('POST', '/webhooks', { key, body });

describe('webhook management', () => {
	test('create → 201 with the secret; get/list without it', async () => {
		const res = await create({ url: hook.url, events: ['message.delivered', 'message.read'], description: 'n8n' });
		expect(res.status).toBe(201);
		const data = res.body.data;
		expect(data).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			url: hook.url,
			events: ['message.delivered', 'message.read'],
			description: 'n8n',
			is_active: true,
			last_success_at: null,
			last_failure_at: null,
			consecutive_failures: 0,
			created_at: expect.any(String),
			updated_at: null,
			secret: expect.stringMatching(/^whsec_[0-9a-f]{64}$/),
		});
		const got = await s.api('GET', `/webhooks/${data.id}`, { key: t.key });
		expect(got.status).toBe(200);
		const withoutSecret = { ...data };
		delete withoutSecret.secret;
		expect(got.body).toEqual({ data: withoutSecret });
		const list = await s.api('GET', '/webhooks', { key: t.key });
		expect(list.body.data).toContainEqual(withoutSecret);
	});

	test('GET /webhooks pages like the template list: 20 a page by default, at most 100, oldest first', async () => {
		const own = await s.tenant();
		for (let i = 0; i < 23; i++)
			await s.api('POST', '/webhooks', { key: own.key, body: { url: `https://hooks.example.com/${i}`, events: ['message.sent'] } });
		const first = await s.api('GET', '/webhooks', { key: own.key });
		expect(first.body.data.map((e) => e.url)).toEqual(Array.from({ length: 20 }, (_, i) => `https://hooks.example.com/${i}`));
		expect(first.body.pagination).toMatchObject({ page: 1, limit: 20, total_items: 23, has_next: true });
		const second = await s.api('GET', '/webhooks?page=2', { key: own.key });
		expect(second.body.data).toHaveLength(3);
		expect(second.body.pagination).toMatchObject({ has_next: false, has_prev: true });
		expect((await s.api('GET', '/webhooks?limit=101', { key: own.key })).status).toBe(422);
	});

	test('active:false creates an inactive endpoint; description defaults to null', async () => {
		const res = await create({ url: 'https://hooks.example.com/x', events: ['message.sent'], active: false });
		expect(res.body.data).toMatchObject({ is_active: false, description: null });
	});

	test('PUT updates only the given fields; reactivation resets failures', async () => {
		const created = (await create({ url: hook.url, events: ['message.sent'] })).body.data;
		const res = await s.api('PUT', `/webhooks/${created.id}`, { key: t.key, body: { events: ['message.failed'], active: false } });
		expect(res.status).toBe(200);
		expect(res.body.data).toMatchObject({ url: hook.url, events: ['message.failed'], is_active: false, updated_at: expect.any(String) });
		expect(res.body.data.secret).toBeUndefined();
		const back = await s.api('PUT', `/webhooks/${created.id}`, { key: t.key, body: { active: true, description: 'again' } });
		expect(back.body.data).toMatchObject({ is_active: true, description: 'again', consecutive_failures: 0 });
	});

	test('rotate-secret returns a new secret; DELETE → 204 then 404', async () => {
		const created = (await create({ url: hook.url, events: ['message.sent'] })).body.data;
		const rotated = await s.api('POST', `/webhooks/${created.id}/rotate-secret`, { key: t.key });
		expect(rotated.status).toBe(200);
		expect(rotated.body.data.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
		expect(rotated.body.data.secret).not.toBe(created.secret);
		const stored = (await s.readBack(t.id, 'webhooks')).find((w) => w.id === created.id);
		expect(stored.secret).toBe(rotated.body.data.secret);
		const removed = await s.api('DELETE', `/webhooks/${created.id}`, { key: t.key });
		expect(removed.status).toBe(204);
		expect(removed.text).toBe('');
		expect(removed.headers.get('x-request-id')).toMatch(/^req_/);
		for (const [method, path] of [
			['GET', ''],
			['PUT', ''],
			['DELETE', ''],
			['POST', '/rotate-secret'],
			['POST', '/test'],
		]) {
			const res = await s.api(method, `/webhooks/${created.id}${path}`, {
				key: t.key,
				body: method === 'PUT' ? { active: true } : undefined,
			});
			expect(res.status).toBe(404);
			expect(res.body).toEqual({ detail: 'Webhook not found' });
		}
	});

	test('test delivery: signed webhook.test, delivered true; false with the status when the receiver fails', async () => {
		const created = (await create({ url: hook.url, events: ['message.sent'] })).body.data;
		const before = hook.received.length;
		const res = await s.api('POST', `/webhooks/${created.id}/test`, { key: t.key });
		expect(res.status).toBe(200);
		expect(res.body.data).toMatchObject({ delivered: true, status_code: 200, delivery_id: expect.stringMatching(/^dlv_[0-9a-f]+$/) });
		const entry = hook.received[before];
		expect(entry.headers['x-lynkist-event']).toBe('webhook.test');
		expect(verify(created.secret, entry)).toBe(true);
		expect(JSON.parse(entry.body)).toMatchObject({ type: 'webhook.test', data: { webhook_id: created.id } });

		const failing = await receiver(() => 500);
		try {
			const bad = (await create({ url: failing.url, events: ['message.sent'] })).body.data;
			const out = await s.api('POST', `/webhooks/${bad.id}/test`, { key: t.key });
			expect(out.body.data).toMatchObject({ delivered: false, status_code: 500 });
			const unreachable = (await create({ url: 'http://127.0.0.1:1/nothing', events: ['message.sent'] })).body.data;
			const none = await s.api('POST', `/webhooks/${unreachable.id}/test`, { key: t.key });
			expect(none.body.data).toMatchObject({ delivered: false, status_code: null });
		} finally {
			await failing.close();
		}
	});
});

describe('webhook validation', () => {
	test.each([
		['a missing url', { events: ['message.sent'] }, ['body', 'url']],
		['a non-URL', { url: 'not a url', events: ['message.sent'] }, ['body', 'url']],
		['plain http to a public host', { url: 'http://hooks.example.com/x', events: ['message.sent'] }, ['body', 'url']],
		['ftp', { url: 'ftp://127.0.0.1/x', events: ['message.sent'] }, ['body', 'url']],
		['missing events', { url: 'https://x.io/h' }, ['body', 'events']],
		['empty events', { url: 'https://x.io/h', events: [] }, ['body', 'events']],
		['an unknown event', { url: 'https://x.io/h', events: ['message.sent', 'message.exploded'] }, ['body', 'events', 1]],
		['a long description', { url: 'https://x.io/h', events: ['message.sent'], description: 'x'.repeat(501) }, ['body', 'description']],
		['a non-boolean active', { url: 'https://x.io/h', events: ['message.sent'], active: 'yes' }, ['body', 'active']],
	])('422 for %s', async (_name, body, loc) => {
		const res = await create(body);
		expect(res.status).toBe(422);
		expect(res.body.detail).toContainEqual({ loc, msg: expect.any(String), type: expect.any(String) });
	});

	test('plain http messages say HTTPS is required', async () => {
		const res = await create({ url: 'http://hooks.example.com/x', events: ['message.sent'] });
		expect(res.body.detail[0].msg).toMatch(/HTTPS is required/);
	});

	test.each([
		'http://127.0.0.1:5678/webhook',
		'http://127.9.9.9/x',
		'http://localhost:5678/x',
		'http://[::1]:5678/x',
		'https://hooks.example.com/x',
	])('%s is accepted', async (url) => {
		expect((await create({ url, events: ['contact.created', 'campaign.completed', 'followup.created'] })).status).toBe(201);
	});

	test('loopback http is refused when the tenant turns it off', async () => {
		const strict = await s.tenant({ allow_http_loopback: false });
		const res = await create({ url: 'http://127.0.0.1:5678/webhook', events: ['message.sent'] }, strict.key);
		expect(res.status).toBe(422);
		expect(res.body.detail).toEqual([{ loc: ['body', 'url'], msg: expect.stringMatching(/HTTPS is required/), type: 'url_scheme' }]);
	});

	test('the global flag sets the default for new tenants', async () => {
		const strict = await start({ allowHttpLoopback: false });
		try {
			const other = await strict.tenant();
			const res = await strict.api('POST', '/webhooks', { key: other.key, body: { url: 'http://localhost/x', events: ['message.sent'] } });
			expect(res.status).toBe(422);
		} finally {
			await strict.sandbox.close();
		}
	});

	test('PUT validates the given fields; 400 for a non-object body', async () => {
		const created = (await create({ url: hook.url, events: ['message.sent'] })).body.data;
		const res = await s.api('PUT', `/webhooks/${created.id}`, { key: t.key, body: { events: [] } });
		expect(res.status).toBe(422);
		const raw = await s.api('POST', '/webhooks', { key: t.key, raw: '[1]', headers: { 'Content-Type': 'application/json' } });
		expect(raw.status).toBe(400);
	});

	test('scopes: webhooks:read cannot write', async () => {
		const readOnly = (await s.control('POST', `/tenants/${t.id}/keys`, { scopes: ['webhooks:read'] })).body.key;
		expect((await s.api('GET', '/webhooks', { key: readOnly })).status).toBe(200);
		const res = await create({ url: hook.url, events: ['message.sent'] }, readOnly);
		expect(res.status).toBe(403);
		expect(res.body.detail.required_permissions).toEqual(['webhooks:write']);
	});
});
