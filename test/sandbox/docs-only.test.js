'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { start, call, receiver, waitFor, verify, sleep } = require('./helpers');
const { DEMO_TENANT_ID } = require('../../sandbox');

const RETRY_SCALE = 0.00005;
const RATE_HEADERS = [
	'x-ratelimit-limit-minute',
	'x-ratelimit-remaining-minute',
	'x-ratelimit-limit-day',
	'x-ratelimit-remaining-day',
	'x-ratelimit-reset',
];
const NOT_FOUND = { detail: 'Not Found' };

let s;
let hook;
/** One sandbox in the ordinary mode, a docs-only tenant beside an ordinary one. */
let strict;
let plain;
beforeAll(async () => {
	s = await start({ timeScale: RETRY_SCALE });
	hook = await receiver();
	strict = await tenantWithTemplates({ docs_only: true });
	plain = await tenantWithTemplates();
});
afterAll(async () => {
	await s.sandbox.close();
	await hook.close();
});

/** A fresh tenant holding copies of the demo templates, lifecycle events off. */
async function tenantWithTemplates(settings = {}, on = s) {
	const t = await on.tenant({ lifecycle: { enabled: false }, limits: { per_minute: 10000 }, ...settings });
	const demo = await on.readBack(DEMO_TENANT_ID, 'templates');
	for (const template of demo) await on.control('POST', `/tenants/${t.id}/templates`, { ...template, id: undefined });
	return t;
}

const shipping = (to = '+15550100002') => ({
	to,
	template_name: 'shipping_update',
	language: 'en_US',
	components: [
		{
			type: 'body',
			parameters: [
				{ type: 'text', text: 'Ana' },
				{ type: 'text', text: 'ORD-1' },
			],
		},
	],
});
const send = (t, headers, body = shipping(), on = s) => on.api('POST', '/messages/template', { key: t.key, body, headers });
const createHook = async (t, url = hook.url, on = s) =>
	(await on.api('POST', '/webhooks', { key: t.key, body: { url, events: ['message.sent'] } })).body.data;

function expectRouterNotFound(res) {
	expect(res.status).toBe(404);
	expect(res.body).toEqual(NOT_FOUND);
	expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{12}$/);
	for (const name of RATE_HEADERS) expect(res.headers.get(name)).not.toBeNull();
}

describe('the switches', () => {
	test('config: docs_only is false by default, settable by PATCH /config, a boolean', async () => {
		expect((await s.control('GET', '/config')).body.docs_only).toBe(false);
		const bad = await s.control('PATCH', '/config', { docs_only: 'yes' });
		expect(bad.status).toBe(400);
		expect(bad.body).toEqual({ detail: 'docs_only must be a boolean' });
		const t = await s.tenant();
		try {
			expect((await s.control('PATCH', '/config', { docs_only: true })).body.docs_only).toBe(true);
			expectRouterNotFound(await s.api('POST', '/contacts/search', { key: t.key, body: {} }));
		} finally {
			await s.control('PATCH', '/config', { docs_only: false });
		}
		expect((await s.api('POST', '/contacts/search', { key: t.key, body: {} })).status).toBe(200);
	});

	test('tenant setting: docs_only null by default (follows the config), true, false or null', async () => {
		const created = await s.control('POST', '/tenants', {});
		expect(created.body.tenant.docs_only).toBeNull();
		const id = created.body.tenant_id;
		const key = created.body.key;
		const search = () => s.api('POST', '/contacts/search', { key, body: {} });
		expect((await s.control('PATCH', `/tenants/${id}`, { docs_only: true })).body.tenant.docs_only).toBe(true);
		expect((await search()).status).toBe(404);
		try {
			await s.control('PATCH', '/config', { docs_only: true });
			expect((await s.control('PATCH', `/tenants/${id}`, { docs_only: false })).body.tenant.docs_only).toBe(false);
			expect((await search()).status).toBe(200);
			expect((await s.control('PATCH', `/tenants/${id}`, { docs_only: null })).body.tenant.docs_only).toBeNull();
			expect((await search()).status).toBe(404);
		} finally {
			await s.control('PATCH', '/config', { docs_only: false });
		}
		expect((await search()).status).toBe(200);
		expect((await s.control('POST', '/tenants', { docs_only: 'yes' })).status).toBe(400);
	});

	test('startSandbox({ docsOnly: true }): every tenant follows, unless its own docs_only is false', async () => {
		const other = await start({ docsOnly: true });
		try {
			expect((await other.control('GET', '/config')).body.docs_only).toBe(true);
			const following = await other.tenant();
			const ordinary = await other.tenant({ docs_only: false });
			expectRouterNotFound(await other.api('POST', '/contacts/bulk', { key: following.key, body: { contacts: [] } }));
			expectRouterNotFound(await other.api('POST', '/contacts/bulk', { key: other.sandbox.demoKey, body: { contacts: [] } }));
			expect((await other.api('POST', '/contacts/search', { key: ordinary.key, body: {} })).status).toBe(200);
			// without a valid key the sandbox-wide mode routes: 404 before 401
			expectRouterNotFound(await other.api('POST', '/contacts/bulk', { key: 'lk_sk_test_nope', body: {} }));
			// a reset keeps the config
			await other.control('POST', '/reset');
			expect((await other.control('GET', '/config')).body.docs_only).toBe(true);
		} finally {
			await other.sandbox.close();
		}
	});
});

describe('the CLI', () => {
	/** Starts the CLI, → its banner and the config it serves, then stops it. */
	async function cli(args, env = {}) {
		const child = spawn(process.execPath, [path.join(__dirname, '../../sandbox/cli.js'), ...args], {
			env: { ...process.env, LYNKIST_SANDBOX_PORT: '0', PORT: '', LYNKIST_SANDBOX_DOCS_ONLY: '', ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
		});
		try {
			await waitFor(() => out.includes('Press Ctrl+C'));
			const controlUrl = /Control URL:\s+(\S+)/.exec(out)[1];
			return { out, config: (await call(`${controlUrl}/config`)).body };
		} finally {
			await new Promise((resolve) => {
				child.on('exit', resolve);
				child.kill('SIGTERM');
			});
		}
	}

	test.each([
		['--docs-only', ['--docs-only'], {}, true],
		['LYNKIST_SANDBOX_DOCS_ONLY=1', [], { LYNKIST_SANDBOX_DOCS_ONLY: '1' }, true],
		['neither', [], {}, false],
	])('%s', async (_name, args, env, docsOnly) => {
		const { out, config } = await cli(args, env);
		expect(config.docs_only).toBe(docsOnly);
		expect(out).toMatch(docsOnly ? /Mode:\s+docs-only/ : /Mode:\s+ordinary/);
	});
});

describe('POST /messages/template: Idempotent-Replayed', () => {
	test('ordinary: false on every fresh 200 send (with or without a key), true on a replay', async () => {
		const t = await tenantWithTemplates();
		const unkeyed = await send(t);
		expect(unkeyed.status).toBe(200);
		expect(unkeyed.headers.get('idempotent-replayed')).toBe('false');
		const headers = { 'Idempotency-Key': '3f0c9a52-0000-4000-8000-000000000001' };
		const first = await send(t, headers, shipping('+15550100003'));
		expect(first.headers.get('idempotent-replayed')).toBe('false');
		const replay = await send(t, headers, shipping('+15550100003'));
		expect(replay.headers.get('idempotent-replayed')).toBe('true');
		const failed = await send(t, undefined, { to: 'nope', template_name: 'shipping_update' });
		expect(failed.status).toBe(400);
		expect(failed.headers.get('idempotent-replayed')).toBeNull();
	});

	test('docs-only: no header, and a replay still answers the same body and sends one message', async () => {
		const t = await tenantWithTemplates({ docs_only: true });
		const headers = { 'Idempotency-Key': '3f0c9a52-0000-4000-8000-000000000002' };
		const first = await send(t, headers);
		const replay = await send(t, headers);
		expect(first.status).toBe(200);
		expect(replay.status).toBe(200);
		expect(replay.body).toEqual(first.body);
		expect(first.headers.get('idempotent-replayed')).toBeNull();
		expect(replay.headers.get('idempotent-replayed')).toBeNull();
		expect((await send(t)).headers.get('idempotent-replayed')).toBeNull();
		const messages = await s.readBack(t.id, 'messages');
		expect(messages.filter((m) => m.idempotency_key === headers['Idempotency-Key'])).toHaveLength(1);
		expect(await s.readBack(t.id, 'replays')).toEqual([
			expect.objectContaining({ idempotency_key: headers['Idempotency-Key'], message_id: first.body.message_id }),
		]);
	});

	test('a key cached in one mode replays in the other with that mode’s header', async () => {
		const t = await tenantWithTemplates({ docs_only: true });
		const headers = { 'Idempotency-Key': '3f0c9a52-0000-4000-8000-000000000003' };
		const first = await send(t, headers);
		await s.control('PATCH', `/tenants/${t.id}`, { docs_only: false });
		const replay = await send(t, headers);
		expect(replay.body).toEqual(first.body);
		expect(replay.headers.get('idempotent-replayed')).toBe('true');
		expect(await s.readBack(t.id, 'messages')).toHaveLength(1);
	});
});

describe('assumed routes answer as unknown paths', () => {
	test('POST /contacts/bulk and /contacts/search → 404 Not Found, as an unknown path, no budget taken', async () => {
		const t = await s.tenant({ docs_only: true, limits: { per_minute: 5 } });
		const unknown = await s.api('GET', '/nothing-here', { key: t.key });
		expectRouterNotFound(unknown);
		for (const [path, body] of [
			['/contacts/bulk', { contacts: [{ first_name: 'Ada' }] }],
			['/contacts/search', { search: 'ada' }],
		]) {
			const res = await s.api('POST', path, { key: t.key, body });
			expectRouterNotFound(res);
			expect(res.headers.get('x-ratelimit-remaining-minute')).toBe('5');
			expect([...res.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
		}
		// nothing was created, and the documented contact routes are there
		const list = await s.api('GET', '/contacts', { key: t.key });
		expect(list.status).toBe(200);
		expect(list.body.data).toEqual([]);
		expect(list.headers.get('x-ratelimit-remaining-minute')).toBe('4');
		const created = await s.api('POST', '/contacts', { key: t.key, body: { first_name: 'Ada' } });
		expect(created.status).toBe(201);
		expect((await s.api('GET', `/contacts/${created.body.id}`, { key: t.key })).status).toBe(200);
	});

	test('404 comes before the key and scope checks; other methods of /contacts/{id} still 405 without POST', async () => {
		const reader = (await s.control('POST', `/tenants/${strict.id}/keys`, { scopes: ['contacts:read'] })).body.key;
		expectRouterNotFound(await s.api('POST', '/contacts/bulk', { key: reader, body: { contacts: [] } }));
		const put = await s.api('PUT', '/contacts/search', { key: strict.key, body: {} });
		expect(put.status).toBe(405);
		expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
		const ordinary = await s.api('PUT', '/contacts/search', { key: plain.key, body: {} });
		expect(ordinary.headers.get('allow')).toBe('POST, GET, PATCH, DELETE');
		// the ordinary tenant beside it keeps the assumed routes
		expect((await s.api('POST', '/contacts/bulk', { key: plain.key, body: { contacts: [{ first_name: 'Ada' }] } })).status).toBe(200);
	});

	test('GET /webhooks/{id}/deliveries and POST /webhooks/deliveries/{id}/retry → 404 Not Found', async () => {
		const endpoint = await createHook(strict);
		const emitted = await s.control('POST', `/tenants/${strict.id}/events`, { type: 'message.sent', webhook_id: endpoint.id });
		const deliveryId = emitted.body.data.deliveries[0].delivery_id;
		expectRouterNotFound(await s.api('GET', `/webhooks/${endpoint.id}/deliveries`, { key: strict.key }));
		expectRouterNotFound(await s.api('POST', `/webhooks/deliveries/${deliveryId}/retry`, { key: strict.key }));

		const other = await createHook(plain);
		expect((await s.api('GET', `/webhooks/${other.id}/deliveries`, { key: plain.key })).status).toBe(200);
	});

	test('the request log records the 404s', async () => {
		const t = await s.tenant({ docs_only: true });
		await s.api('POST', '/contacts/bulk', { key: t.key, body: { contacts: [] } });
		await s.api('GET', '/webhooks/00000000-0000-4000-8000-000000000000/deliveries', { key: t.key });
		const log = await s.readBack(t.id, 'requests');
		expect(log).toEqual([
			expect.objectContaining({ method: 'POST', path: '/api/v1/public/contacts/bulk', status: 404, outcome: null }),
			expect.objectContaining({
				method: 'GET',
				path: '/api/v1/public/webhooks/00000000-0000-4000-8000-000000000000/deliveries',
				status: 404,
			}),
		]);
	});
});

describe('POST /webhooks/{id}/test', () => {
	test('docs-only: {data:{id, message}} and one signed ping with the five X-Lynkist-* headers', async () => {
		const endpoint = await createHook(strict);
		const before = hook.received.length;
		const res = await s.api('POST', `/webhooks/${endpoint.id}/test`, { key: strict.key });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ data: { id: endpoint.id, message: 'Test event sent' } });
		expect(hook.received).toHaveLength(before + 1);
		const entry = hook.received[before];
		expect(verify(endpoint.secret, entry)).toBe(true);
		expect(
			Object.keys(entry.headers)
				.filter((h) => h.startsWith('x-lynkist-'))
				.sort(),
		).toEqual(['x-lynkist-delivery', 'x-lynkist-event', 'x-lynkist-signature', 'x-lynkist-timestamp', 'x-lynkist-webhook-id']);
		expect(entry.headers['x-lynkist-event']).toBe('ping');
		expect(entry.headers['x-lynkist-webhook-id']).toBe(endpoint.id);
		const body = JSON.parse(entry.body);
		expect(body).toEqual({ event: 'ping', webhook_id: endpoint.id, sent_at: expect.any(String) });
		expect(new Date(body.sent_at).toISOString()).toBe(body.sent_at);
	});

	test('docs-only: a failing receiver gets one attempt, the answer is the same, the endpoint health untouched', async () => {
		const failing = await receiver(() => 500);
		try {
			const endpoint = await createHook(strict, failing.url);
			const res = await s.api('POST', `/webhooks/${endpoint.id}/test`, { key: strict.key });
			expect(res.body).toEqual({ data: { id: endpoint.id, message: 'Test event sent' } });
			await sleep(200);
			expect(failing.received).toHaveLength(1);
			const after = (await s.api('GET', `/webhooks/${endpoint.id}`, { key: strict.key })).body.data;
			expect(after).toMatchObject({ is_active: true, consecutive_failures: 0, last_failure_at: null, last_success_at: null });
			const logged = (await s.readBack(strict.id, 'deliveries')).filter((d) => d.webhook_id === endpoint.id);
			expect(logged).toEqual([expect.objectContaining({ event: 'ping', event_id: null, status_code: 500, ok: false })]);
		} finally {
			await failing.close();
		}
	});

	test('ordinary: the webhook.test envelope and its outcome', async () => {
		const endpoint = await createHook(plain);
		const before = hook.received.length;
		const res = await s.api('POST', `/webhooks/${endpoint.id}/test`, { key: plain.key });
		expect(res.body.data).toEqual({ delivered: true, status_code: 200, delivery_id: expect.stringMatching(/^dlv_/) });
		expect(hook.received[before].headers['x-lynkist-event']).toBe('webhook.test');
		expect(JSON.parse(hook.received[before].body)).toMatchObject({ type: 'webhook.test', data: { webhook_id: endpoint.id } });
	});
});

describe('everything else is unchanged in docs-only mode', () => {
	test('webhook secret on create and rotate, 422 list form, DELETE 204', async () => {
		const endpoint = await createHook(strict);
		expect(endpoint.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
		const rotated = await s.api('POST', `/webhooks/${endpoint.id}/rotate-secret`, { key: strict.key });
		expect(rotated.body.data.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
		expect(rotated.body.data.secret).not.toBe(endpoint.secret);
		const invalid = await s.api('POST', '/webhooks', { key: strict.key, body: { url: hook.url, events: [] } });
		expect(invalid.status).toBe(422);
		expect(invalid.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'events'], type: 'too_short' })]);
		const removed = await s.api('DELETE', `/webhooks/${endpoint.id}`, { key: strict.key });
		expect(removed.status).toBe(204);
	});

	test('a reply arrives as message.received with context and button', async () => {
		const t = await tenantWithTemplates({ docs_only: true });
		const endpoint = (await s.api('POST', '/webhooks', { key: t.key, body: { url: hook.url, events: ['message.received'] } })).body.data;
		const sent = await send(t, undefined, {
			to: '+15550100004',
			template_name: 'appointment_confirmation',
			language: 'en_US',
			components: [
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'Ana' },
						{ type: 'text', text: 'Monday' },
					],
				},
				{ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'YES-1' }] },
			],
		});
		expect(sent.status).toBe(200);
		await s.control('POST', `/tenants/${t.id}/messages/${sent.body.message_id}/reply`, { button: 0 });
		const entry = await waitFor(() => hook.received.find((r) => r.headers['x-lynkist-webhook-id'] === endpoint.id));
		expect(JSON.parse(entry.body).data).toMatchObject({
			context: { message_id: sent.body.message_id },
			button: { payload: 'YES-1', text: "Yes, I'll be there" },
		});
	});
});
