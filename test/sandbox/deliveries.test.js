'use strict';
const http = require('node:http');
const { start, receiver, waitFor, verify, sleep } = require('./helpers');
const { constants } = require('../../sandbox');

const RETRY_SCALE = 0.00005;
let s;
let hook;
beforeAll(async () => {
	s = await start({ timeScale: RETRY_SCALE });
	// a receiver that verifies signatures the way n8n's trigger will
	hook = await receiver();
});
afterAll(async () => {
	await s.sandbox.close();
	await hook.close();
});

const LIFECYCLE = { sent_ms: 20, delivered_ms: 50, read_ms: 80 };
const MESSAGE_EVENTS = ['message.sent', 'message.delivered', 'message.read', 'message.failed'];

async function tenantWithHook(url, events = MESSAGE_EVENTS, settings = {}) {
	const t = await s.tenant({ lifecycle: { ...LIFECYCLE }, limits: { per_minute: 10000 }, ...settings });
	await s.control('POST', `/tenants/${t.id}/templates`, {
		template_name: 'hello',
		language: 'en',
		category: 'UTILITY',
		components: [{ type: 'BODY', text: 'Hi {{1}}' }],
	});
	const endpoint = (await s.api('POST', '/webhooks', { key: t.key, body: { url, events } })).body.data;
	return { ...t, endpoint };
}
const sendHello = (t, to = '+15550100002') =>
	s.api('POST', '/messages/template', {
		key: t.key,
		body: { to, template_name: 'hello', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] },
	});
const forHook = (webhookId) => hook.received.filter((r) => r.headers['x-lynkist-webhook-id'] === webhookId);

describe('message lifecycle deliveries', () => {
	test('sent → delivered → read, signed, with the documented headers and envelope', async () => {
		const t = await tenantWithHook(hook.url);
		const sent = (await sendHello(t)).body;
		const got = await waitFor(() => forHook(t.endpoint.id).length >= 3 && forHook(t.endpoint.id));
		const types = got.map((r) => r.headers['x-lynkist-event']);
		expect(types).toEqual(['message.sent', 'message.delivered', 'message.read']);
		const deliveryIds = new Set();
		for (const entry of got) {
			expect(verify(t.endpoint.secret, entry)).toBe(true);
			expect(entry.headers['content-type']).toBe('application/json');
			expect(entry.headers['user-agent']).toBe('Lynkist-Webhooks/1.0');
			expect(entry.headers['x-lynkist-delivery']).toMatch(/^dlv_[0-9a-f]+$/);
			expect(entry.headers['x-lynkist-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
			deliveryIds.add(entry.headers['x-lynkist-delivery']);
			const event = JSON.parse(entry.body);
			expect(Object.keys(event)).toEqual(['id', 'type', 'created_at', 'data']);
			expect(event.id).toMatch(/^evt_[0-9a-f]+$/);
			expect(event.type).toBe(entry.headers['x-lynkist-event']);
			expect(event.data).toEqual({
				message_id: sent.message_id,
				to: '+15550100002',
				status: event.type.split('.')[1],
				template_name: 'hello',
				language: 'en',
				timestamp: expect.any(String),
			});
		}
		expect(deliveryIds.size).toBe(3);
		const [message] = await s.readBack(t.id, 'messages');
		expect(message.status).toBe('read');
		expect(message.events.map((e) => e.type)).toEqual(['message.sent', 'message.delivered', 'message.read']);
		const endpoint = (await s.api('GET', `/webhooks/${t.endpoint.id}`, { key: t.key })).body.data;
		expect(endpoint).toMatchObject({ consecutive_failures: 0, last_success_at: expect.any(String), last_failure_at: null });
	});

	test('failing numbers: sent then failed with Meta error 131056', async () => {
		const t = await tenantWithHook(hook.url, MESSAGE_EVENTS, { failing_numbers: ['+15550100666'] });
		await sendHello(t, '+15550100666');
		const got = await waitFor(() => forHook(t.endpoint.id).length >= 2 && forHook(t.endpoint.id));
		await sleep(120);
		expect(forHook(t.endpoint.id).map((r) => r.headers['x-lynkist-event'])).toEqual(['message.sent', 'message.failed']);
		const failed = JSON.parse(got[1].body);
		expect(failed.data.error).toEqual(constants.META_ERRORS[131056]);
		expect(failed.data.error).toEqual({ code: 131056, title: expect.stringMatching(/pair rate limit/), message: expect.any(String) });
		expect(JSON.parse(got[0].body).data.error).toBeUndefined();
	});

	test('only subscribed events are delivered; lifecycle can be turned off', async () => {
		const t = await tenantWithHook(hook.url, ['message.delivered']);
		await sendHello(t);
		await waitFor(() => forHook(t.endpoint.id).length >= 1);
		await sleep(100);
		expect(forHook(t.endpoint.id).map((r) => r.headers['x-lynkist-event'])).toEqual(['message.delivered']);

		const quiet = await tenantWithHook(hook.url, MESSAGE_EVENTS, { lifecycle: { ...LIFECYCLE, enabled: false } });
		await sendHello(quiet);
		await sleep(150);
		expect(forHook(quiet.endpoint.id)).toEqual([]);
	});
});

describe('retries and endpoint health', () => {
	test('a failing endpoint is retried on the scaled curve with the same delivery id, then given up', async () => {
		const failing = await receiver(() => 503);
		try {
			const t = await tenantWithHook(failing.url, ['contact.created']);
			const emitted = await s.control('POST', `/tenants/${t.id}/events`, { type: 'contact.created' });
			expect(emitted.body.data.deliveries[0].attempts[0]).toMatchObject({ ok: false, status_code: 503 });
			await waitFor(() => failing.received.length >= 6, 8000);
			await sleep(300);
			expect(failing.received).toHaveLength(6);
			expect(new Set(failing.received.map((r) => r.headers['x-lynkist-delivery'])).size).toBe(1);
			expect(new Set(failing.received.map((r) => r.body)).size).toBe(1);
			for (const entry of failing.received) expect(verify(t.endpoint.secret, entry)).toBe(true);
			const gaps = failing.received.slice(1).map((r, i) => r.at - failing.received[i].at);
			constants.WEBHOOK.retryDelaysMs.forEach((delay, i) => expect(gaps[i]).toBeGreaterThanOrEqual(Math.floor(delay * RETRY_SCALE) - 2));
			expect(gaps[4]).toBeGreaterThan(gaps[0]);
			const log = (await s.readBack(t.id, 'deliveries')).filter((d) => d.webhook_id === t.endpoint.id);
			expect(log.map((d) => d.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
			expect(log[0]).toMatchObject({
				event: 'contact.created',
				status_code: 503,
				ok: false,
				delivery_id: failing.received[0].headers['x-lynkist-delivery'],
			});
			const endpoint = (await s.api('GET', `/webhooks/${t.endpoint.id}`, { key: t.key })).body.data;
			expect(endpoint).toMatchObject({ consecutive_failures: 6, is_active: true, last_failure_at: expect.any(String) });
		} finally {
			await failing.close();
		}
	});

	test('a retry that succeeds resets consecutive_failures', async () => {
		const flaky = await receiver((_entry, n) => (n <= 2 ? 500 : 204));
		try {
			const t = await tenantWithHook(flaky.url, ['contact.updated']);
			await s.control('POST', `/tenants/${t.id}/events`, { type: 'contact.updated' });
			await waitFor(async () => (await s.api('GET', `/webhooks/${t.endpoint.id}`, { key: t.key })).body.data.last_success_at);
			const endpoint = (await s.api('GET', `/webhooks/${t.endpoint.id}`, { key: t.key })).body.data;
			expect(endpoint.consecutive_failures).toBe(0);
			expect(flaky.received).toHaveLength(3);
		} finally {
			await flaky.close();
		}
	});

	test('20 consecutive failures disable the endpoint', async () => {
		const failing = await receiver(() => 500);
		try {
			const t = await tenantWithHook(failing.url, ['campaign.started']);
			for (let i = 0; i < 20; i++) {
				await s.control('POST', `/tenants/${t.id}/events`, { type: 'campaign.started', retries: false });
			}
			const endpoint = (await s.api('GET', `/webhooks/${t.endpoint.id}`, { key: t.key })).body.data;
			expect(endpoint).toMatchObject({ is_active: false, consecutive_failures: 20 });
			const after = await s.control('POST', `/tenants/${t.id}/events`, { type: 'campaign.started' });
			// not called; the event is kept for it as a failed delivery [assumed]
			expect(after.body.data.deliveries).toEqual([expect.objectContaining({ webhook_id: t.endpoint.id, attempts: [] })]);
			expect(failing.received).toHaveLength(20);
			const kept = (await s.api('GET', `/webhooks/${t.endpoint.id}/deliveries?status=failed&limit=100`, { key: t.key })).body.data;
			expect(kept.at(-1)).toMatchObject({ id: after.body.data.deliveries[0].delivery_id, status: 'failed', attempts: 0 });
		} finally {
			await failing.close();
		}
	});

	test('a slow receiver counts as a failure after the response timeout', async () => {
		const slow = await start({ deliveryTimeoutMs: 100 });
		const stuck = http.createServer(() => {});
		await new Promise((resolve) => stuck.listen(0, '127.0.0.1', resolve));
		try {
			const t = await slow.tenant();
			const endpoint = (
				await slow.api('POST', '/webhooks', {
					key: t.key,
					body: { url: `http://127.0.0.1:${stuck.address().port}/`, events: ['message.sent'] },
				})
			).body.data;
			const res = await slow.api('POST', `/webhooks/${endpoint.id}/test`, { key: t.key });
			expect(res.body.data).toMatchObject({ delivered: false, status_code: null });
			const [entry] = await slow.readBack(t.id, 'deliveries');
			expect(entry.error).toBe('timeout');
		} finally {
			await slow.sandbox.close();
			stuck.closeAllConnections();
			await new Promise((resolve) => stuck.close(resolve));
		}
	});
});

describe('control-emitted events', () => {
	test('any event with default data, overridable; inbound message.received has from and text', async () => {
		const t = await tenantWithHook(hook.url, ['contact.created', 'message.received']);
		const res = await s.control('POST', `/tenants/${t.id}/events`, { type: 'contact.created', data: { first_name: 'Ana' } });
		expect(res.status).toBe(200);
		expect(res.body.data.event).toMatchObject({
			type: 'contact.created',
			data: { first_name: 'Ana', id: expect.any(String), phone: expect.any(String) },
		});
		const inbound = await s.control('POST', `/tenants/${t.id}/inbound`, { from: '+15550100777', text: 'STOP' });
		const event = inbound.body.data.event;
		expect(event.data).toMatchObject({ from: '+15550100777', text: 'STOP', message_id: expect.stringMatching(/^wamid\./) });
		expect(event.data.to).toBeUndefined();
		const got = forHook(t.endpoint.id);
		expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['contact.created', 'message.received']);
		expect(got.every((r) => verify(t.endpoint.secret, r))).toBe(true);
	});

	test('repeat sends the same delivery id and body N times', async () => {
		const t = await tenantWithHook(hook.url, ['message.delivered']);
		const res = await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.delivered', repeat: 3 });
		expect(res.body.data.deliveries[0].attempts).toHaveLength(3);
		const got = forHook(t.endpoint.id);
		expect(got).toHaveLength(3);
		expect(new Set(got.map((r) => r.headers['x-lynkist-delivery'])).size).toBe(1);
		expect(new Set(got.map((r) => r.body)).size).toBe(1);
	});

	test('repeat_every_ms sends the repeats at once (0) or that far apart', async () => {
		const t = await tenantWithHook(hook.url, ['message.delivered']);
		const once = await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.delivered', repeat: 3, repeat_every_ms: 0 });
		expect(once.body.data.deliveries[0].attempts).toHaveLength(3);
		const together = forHook(t.endpoint.id);
		expect(new Set(together.map((r) => r.headers['x-lynkist-delivery'])).size).toBe(1);
		expect(together[2].at - together[0].at).toBeLessThan(200);
		const spaced = await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.delivered', repeat: 2, repeat_every_ms: 500 });
		expect(spaced.body.data.deliveries[0].attempts).toHaveLength(2);
		const [first, second] = forHook(t.endpoint.id).slice(3);
		expect(second.at - first.at).toBeGreaterThanOrEqual(450);
	});

	test.each(['wrong_secret', 'stale_timestamp', 'future_timestamp', 'altered_body', 'missing_signature'])(
		'tamper %s fails verification and is not retried',
		async (tamper) => {
			const strict = await receiver(() => 401);
			try {
				const t = await tenantWithHook(strict.url, ['message.read']);
				const res = await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.read', tamper });
				expect(res.body.data.deliveries[0].attempts[0]).toMatchObject({ ok: false, status_code: 401 });
				const [entry] = strict.received;
				expect(verify(t.endpoint.secret, entry)).toBe(false);
				const now = Math.floor(Date.now() / 1000);
				const ts = Number(entry.headers['x-lynkist-timestamp']);
				if (tamper === 'stale_timestamp') expect(ts).toBeLessThan(now - 300);
				if (tamper === 'future_timestamp') expect(ts).toBeGreaterThan(now + 300);
				if (tamper === 'missing_signature') expect(entry.headers['x-lynkist-signature']).toBeUndefined();
				if (tamper.endsWith('timestamp')) expect(verify(t.endpoint.secret, entry, Infinity)).toBe(true);
				if (tamper === 'altered_body') expect(JSON.parse(entry.body).data.altered).toBe(true);
				await sleep(50);
				expect(strict.received).toHaveLength(1);
				const [logged] = await s.readBack(t.id, 'deliveries');
				expect(logged.tamper).toBe(tamper);
			} finally {
				await strict.close();
			}
		},
	);

	test('bad emit requests → 400', async () => {
		const t = await s.tenant();
		expect((await s.control('POST', `/tenants/${t.id}/events`, { type: 'nope' })).status).toBe(400);
		expect((await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.sent', tamper: 'bad' })).status).toBe(400);
		expect((await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.sent', repeat: 0 })).status).toBe(400);
		expect((await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.sent', repeat_every_ms: -1 })).status).toBe(400);
		expect((await s.control('POST', `/tenants/${t.id}/inbound`, { from: 5 })).status).toBe(400);
	});
});

describe('a recipient answers a message [assumed, Meta-shaped]', () => {
	const QUESTION = {
		template_name: 'confirm_slot',
		language: 'en',
		category: 'UTILITY',
		components: [
			{ type: 'BODY', text: 'Does {{1}} suit you?' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Yes' },
					{ type: 'URL', text: 'Other time', url: 'https://x.example/slots' },
					{ type: 'QUICK_REPLY', text: 'No' },
				],
			},
		],
	};
	const ask = (t, to, quickReplies = []) =>
		s.api('POST', '/messages/template', {
			key: t.key,
			body: {
				to,
				template_name: 'confirm_slot',
				components: [
					{ type: 'body', parameters: [{ type: 'text', text: 'Monday 10:00' }] },
					...quickReplies.map(([index, payload]) => ({
						type: 'button',
						sub_type: 'quick_reply',
						index,
						parameters: [{ type: 'payload', payload }],
					})),
				],
			},
		});
	async function asker() {
		const t = await tenantWithHook(hook.url, ['message.received']);
		await s.control('POST', `/tenants/${t.id}/templates`, QUESTION);
		return t;
	}
	const received = (t) => forHook(t.endpoint.id).map((r) => JSON.parse(r.body));

	test('a tap on a quick-reply button: signed message.received with the context and the button (payload as sent)', async () => {
		const t = await asker();
		const sent = (await ask(t, '+15550100201', [[2, 'slot-no']])).body;
		const res = await s.control('POST', `/tenants/${t.id}/messages/${sent.message_id}/reply`, { button: 2 });
		expect(res.status).toBe(200);
		const [event] = received(t);
		expect(event).toMatchObject({
			type: 'message.received',
			data: { from: '+15550100201', context: { message_id: sent.message_id }, button: { payload: 'slot-no', text: 'No' } },
		});
		expect(event.data.message_id).not.toBe(sent.message_id);
		expect(event.data.text).toBeUndefined();
		expect(forHook(t.endpoint.id).every((r) => verify(t.endpoint.secret, r))).toBe(true);
	});

	test('a button the send gave no payload carries its text as payload; typed text with and without the reply context; another number', async () => {
		const t = await asker();
		const sent = (await ask(t, '+15550100202')).body;
		const path = `/tenants/${t.id}/messages/${sent.message_id}/reply`;
		await s.control('POST', path, { button: 0 });
		await s.control('POST', path, { text: 'Can we do 11?' });
		await s.control('POST', path, { text: 'Hello?', context: false, from: '+15550100299' });
		const [tap, typed, other] = received(t);
		expect(tap.data.button).toEqual({ payload: 'Yes', text: 'Yes' });
		expect(typed.data).toMatchObject({ from: '+15550100202', text: 'Can we do 11?', context: { message_id: sent.message_id } });
		expect(typed.data.button).toBeUndefined();
		expect(other.data).toMatchObject({ from: '+15550100299', text: 'Hello?' });
		expect(other.data.context).toBeUndefined();
	});

	test('bad replies → 400 / 404; a quick-reply button sent with a text parameter → 422', async () => {
		const t = await asker();
		const sent = (await ask(t, '+15550100203')).body;
		const path = `/tenants/${t.id}/messages/${sent.message_id}/reply`;
		expect((await s.control('POST', path, {})).status).toBe(400);
		expect((await s.control('POST', path, { button: 0, text: 'both' })).status).toBe(400);
		expect((await s.control('POST', path, { button: 1 })).body.detail).toBe("The message's template has no quick-reply button at index 1");
		expect((await s.control('POST', path, { text: 'x', from: '12345' })).status).toBe(400);
		expect((await s.control('POST', `/tenants/${t.id}/messages/wamid.nope/reply`, { text: 'x' })).status).toBe(404);
		const wrong = await s.api('POST', '/messages/template', {
			key: t.key,
			body: {
				to: '+15550100204',
				template_name: 'confirm_slot',
				components: [
					{ type: 'body', parameters: [{ type: 'text', text: 'Monday' }] },
					{ type: 'button', sub_type: 'quick_reply', index: 0, parameters: [{ type: 'text', text: 'yes' }] },
				],
			},
		});
		expect(wrong.status).toBe(422);
		expect(wrong.body.detail).toBe('Button 0 (quick_reply) takes a payload parameter, got text');
	});
});

describe('delivery list and retry [assumed shapes]', () => {
	test('a delivery whose retry curve runs out is listed as failed; a retry asked for through the API delivers it, with the current secret', async () => {
		let down = true;
		const flaky = await receiver(() => (down ? 503 : 200));
		try {
			const t = await tenantWithHook(flaky.url, ['message.delivered']);
			const { data } = (await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.delivered' })).body;
			const deliveryId = data.deliveries[0].delivery_id;
			const list = async (query = '') => (await s.api('GET', `/webhooks/${t.endpoint.id}/deliveries${query}`, { key: t.key })).body;
			const failed = await waitFor(async () => (await list('?status=failed')).data.length === 1 && (await list('?status=failed')));
			expect(failed.data[0]).toEqual({
				id: deliveryId,
				webhook_id: t.endpoint.id,
				event_id: data.event.id,
				event: 'message.delivered',
				status: 'failed',
				attempts: 6,
				last_status_code: 503,
				created_at: expect.any(String),
				last_attempt_at: expect.any(String),
			});
			expect(failed.pagination).toMatchObject({ page: 1, total_items: 1, has_next: false });
			expect((await list('?status=delivered')).data).toEqual([]);

			down = false;
			const rotated = (await s.api('POST', `/webhooks/${t.endpoint.id}/rotate-secret`, { key: t.key })).body.data.secret;
			const retry = await s.api('POST', `/webhooks/deliveries/${deliveryId}/retry`, { key: t.key });
			expect(retry.status).toBe(202);
			expect(retry.body.data).toMatchObject({ id: deliveryId, status: 'pending' });
			const delivered = await waitFor(() => flaky.received.find((r, i) => i >= 6 && r.headers['x-lynkist-delivery'] === deliveryId));
			expect(verify(rotated, delivered)).toBe(true);
			const after = await waitFor(async () => (await list()).data[0].status === 'delivered' && (await list()).data[0]);
			expect(after).toMatchObject({ attempts: 7, last_status_code: 200 });
		} finally {
			await flaky.close();
		}
	});

	test('a disabled endpoint refuses retries (409); unknown deliveries are 404; status is checked', async () => {
		const t = await tenantWithHook(hook.url, ['message.read']);
		const { data } = (await s.control('POST', `/tenants/${t.id}/events`, { type: 'message.read' })).body;
		await s.api('PUT', `/webhooks/${t.endpoint.id}`, { key: t.key, body: { active: false } });
		const refused = await s.api('POST', `/webhooks/deliveries/${data.deliveries[0].delivery_id}/retry`, { key: t.key });
		expect(refused.status).toBe(409);
		expect(refused.body.detail).toBe('Webhook is disabled: enable it before retrying its deliveries');
		expect((await s.api('POST', '/webhooks/deliveries/dlv_nothing/retry', { key: t.key })).status).toBe(404);
		expect((await s.api('GET', `/webhooks/${t.endpoint.id}/deliveries?status=lost`, { key: t.key })).status).toBe(422);
	});
});
