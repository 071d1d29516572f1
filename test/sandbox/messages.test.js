'use strict';
const { start } = require('./helpers');
const { DEMO_TENANT_ID } = require('../../sandbox');

let s;
let main;
beforeAll(async () => {
	s = await start();
	main = await tenantWithTemplates({ limits: { per_minute: 100000, per_day: 100000 } });
});
afterAll(() => s.sandbox.close());

const text = (...values) => values.map((v) => ({ type: 'text', text: v }));
const orderConfirmation = (overrides = {}) => ({
	to: '+919999999999',
	template_name: 'order_confirmation',
	language: 'en_US',
	components: [
		{ type: 'header', parameters: text('ORD-1042') },
		{ type: 'body', parameters: text('Anurag', 'ORD-1042', '$12.00') },
		{ type: 'button', sub_type: 'url', index: '0', parameters: text('ORD-1042') },
	],
	...overrides,
});
const shipping = (overrides = {}) => ({
	to: '+15550100002',
	template_name: 'shipping_update',
	language: 'en_US',
	components: [{ type: 'body', parameters: text('Ana', 'ORD-1') }],
	...overrides,
});

/** A fresh tenant holding copies of the demo templates, lifecycle events off. */
async function tenantWithTemplates(settings = {}) {
	const t = await s.tenant({ lifecycle: { enabled: false }, ...settings });
	const demo = await s.readBack(DEMO_TENANT_ID, 'templates');
	for (const template of demo) {
		await s.control('POST', `/tenants/${t.id}/templates`, { ...template, id: undefined });
	}
	return t;
}

const send = (key, body, headers) => s.api('POST', '/messages/template', { key, body, headers });

describe('POST /messages/template — success', () => {
	test('200 accepted with a wamid; the message is recorded', async () => {
		const t = await tenantWithTemplates();
		const res = await send(t.key, orderConfirmation());
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ message_id: expect.stringMatching(/^wamid\.[A-Za-z0-9_-]+$/), status: 'accepted', to: '+919999999999' });
		const [message] = await s.readBack(t.id, 'messages');
		expect(message).toMatchObject({
			message_id: res.body.message_id,
			to: '+919999999999',
			template_name: 'order_confirmation',
			language: 'en_US',
			idempotency_key: null,
		});
	});

	test.each([
		['welcome_message with default language en and no components', { to: '+15550100003', template_name: 'welcome_message' }],
		[
			'promo_banner with an image header',
			{
				to: '+15550100003',
				template_name: 'promo_banner',
				language: 'en_US',
				components: [
					{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.io/a.jpg' } }] },
					{ type: 'body', parameters: text('Ana') },
				],
			},
		],
		[
			'login_code with the OTP url button (numeric index)',
			{
				to: '+15550100003',
				template_name: 'login_code',
				language: 'en_US',
				components: [
					{ type: 'body', parameters: text('123456') },
					{ type: 'button', sub_type: 'url', index: 0, parameters: text('123456') },
				],
			},
		],
		['the es variant', orderConfirmation({ language: 'es' })],
		[
			'currency and date_time parameters',
			shipping({
				components: [
					{
						type: 'body',
						parameters: [
							{ type: 'currency', currency: { fallback_value: '$1', code: 'USD', amount_1000: 1000 } },
							{ type: 'date_time', date_time: { fallback_value: 'today' } },
						],
					},
				],
			}),
		],
		[
			'a quick_reply payload',
			orderConfirmation({
				components: [
					...orderConfirmation().components,
					{ type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'TALK' }] },
				],
			}),
		],
	])('200 for %s', async (_name, body) => {
		const res = await send(main.key, body);
		expect(res.status).toBe(200);
	});
});

describe('POST /messages/template — errors', () => {
	test.each([
		['malformed JSON', '{', /JSON/],
		['a JSON array', '[]', /JSON object/],
	])('400 for %s', async (_name, raw, detail) => {
		const res = await s.api('POST', '/messages/template', { key: main.key, raw, headers: { 'Content-Type': 'application/json' } });
		expect(res.status).toBe(400);
		expect(res.body.detail).toMatch(detail);
	});

	test.each([
		['missing to', { template_name: 'welcome_message' }, /\bto\b/],
		['to without +', { to: '919999999999', template_name: 'welcome_message' }, /'to'.*E\.164/],
		['to too short', { to: '+12345', template_name: 'welcome_message' }, /'to'/],
		['to starting with 0', { to: '+0123456789', template_name: 'welcome_message' }, /'to'/],
		['to as a number', { to: 919999999999, template_name: 'welcome_message' }, /'to'/],
		['missing template_name', { to: '+919999999999' }, /template_name/],
		['language not a string', { to: '+919999999999', template_name: 'welcome_message', language: 5 }, /language/],
	])('400 for %s', async (_name, body, detail) => {
		const res = await send(main.key, body);
		expect(res.status).toBe(400);
		expect(res.body.detail).toMatch(detail);
	});

	test('404 when the WABA is inactive', async () => {
		const t = await tenantWithTemplates({ waba_active: false });
		const res = await send(t.key, shipping());
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ detail: 'No active WABA account for this tenant' });
	});

	test('422 for an unknown or unapproved template name', async () => {
		const res = await send(main.key, { to: '+919999999999', template_name: 'appointment_reminder', language: 'en_US' });
		expect(res.status).toBe(422);
		expect(res.body).toEqual({ detail: "No approved template named 'appointment_reminder'" });
	});

	test('422 for a language that is not exactly an approved variant', async () => {
		const res = await send(main.key, shipping({ language: undefined }));
		expect(res.body).toEqual({ detail: "Template 'shipping_update' is not approved in language 'en'. Approved languages: en_US" });
		const two = await send(main.key, orderConfirmation({ language: 'en' }));
		expect(two.status).toBe(422);
		expect(two.body.detail).toBe("Template 'order_confirmation' is not approved in language 'en'. Approved languages: en_US, es");
	});

	test.each([
		['components not a list', { components: {} }, ['body', 'components']],
		['unknown component type', { components: [{ type: 'footer', parameters: [] }] }, ['body', 'components', 0, 'type']],
		['button without sub_type', { components: [{ type: 'button', index: '0', parameters: [] }] }, ['body', 'components', 0, 'sub_type']],
		['button without index', { components: [{ type: 'button', sub_type: 'url', parameters: [] }] }, ['body', 'components', 0, 'index']],
		['parameters not a list', { components: [{ type: 'body', parameters: 'Ana' }] }, ['body', 'components', 0, 'parameters']],
		['parameters missing', { components: [{ type: 'body' }] }, ['body', 'components', 0, 'parameters']],
		[
			'unknown parameter type',
			{ components: [{ type: 'body', parameters: [{ type: 'emoji', emoji: 'x' }] }] },
			['body', 'components', 0, 'parameters', 0, 'type'],
		],
		[
			'text parameter without text',
			{ components: [{ type: 'body', parameters: [{ type: 'text' }] }] },
			['body', 'components', 0, 'parameters', 0, 'text'],
		],
		[
			'image parameter without link',
			{ components: [{ type: 'header', parameters: [{ type: 'image', image: {} }] }] },
			['body', 'components', 0, 'parameters', 0, 'image'],
		],
		[
			'currency without amount',
			{ components: [{ type: 'body', parameters: [{ type: 'currency', currency: { fallback_value: '$1', code: 'USD' } }] }] },
			['body', 'components', 0, 'parameters', 0, 'currency'],
		],
	])('422 list form for %s', async (_name, overrides, loc) => {
		const res = await send(main.key, shipping(overrides));
		expect(res.status).toBe(422);
		expect(res.body.detail).toContainEqual({ loc, msg: expect.any(String), type: expect.any(String) });
	});

	test.each([
		['too few body parameters', shipping({ components: [{ type: 'body', parameters: text('Ana') }] }), 'Body expects 2 parameters, got 1'],
		[
			'too many body parameters',
			shipping({ components: [{ type: 'body', parameters: text('a', 'b', 'c') }] }),
			'Body expects 2 parameters, got 3',
		],
		['no components for a template with variables', shipping({ components: undefined }), 'Body expects 2 parameters, got 0'],
		[
			'parameters for a template without variables',
			{ to: '+15550100003', template_name: 'welcome_message', components: [{ type: 'body', parameters: text('x') }] },
			'Body expects 0 parameters, got 1',
		],
		[
			'missing header parameter',
			orderConfirmation({ components: orderConfirmation().components.slice(1) }),
			'Header expects 1 parameter, got 0',
		],
		[
			'missing URL button parameter',
			orderConfirmation({ components: orderConfirmation().components.slice(0, 2) }),
			'Button 0 (url) expects 1 parameter, got 0',
		],
		[
			'empty URL button parameters',
			orderConfirmation({
				components: [...orderConfirmation().components.slice(0, 2), { type: 'button', sub_type: 'url', index: '0', parameters: [] }],
			}),
			'Button 0 (url) expects 1 parameter, got 0',
		],
		[
			'a button index the template lacks',
			orderConfirmation({
				components: [...orderConfirmation().components, { type: 'button', sub_type: 'url', index: '5', parameters: [] }],
			}),
			'This template has no button at index 5',
		],
		[
			'a sub_type that does not match',
			orderConfirmation({
				components: [
					...orderConfirmation().components.slice(0, 2),
					{ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [] },
				],
			}),
			'Button 0 is a URL button, not quick_reply',
		],
		[
			'a header for a template without one',
			shipping({
				components: [
					{ type: 'header', parameters: text('x') },
					{ type: 'body', parameters: text('a', 'b') },
				],
			}),
			'This template has no header',
		],
		[
			'a duplicate body',
			shipping({
				components: [
					{ type: 'body', parameters: text('a', 'b') },
					{ type: 'body', parameters: text('a', 'b') },
				],
			}),
			'Duplicate body component',
		],
		[
			'an image header without a parameter',
			{ to: '+15550100003', template_name: 'promo_banner', language: 'en_US', components: [{ type: 'body', parameters: text('Ana') }] },
			'Header expects 1 image parameter with a link, got none',
		],
		[
			'an image header given text',
			{
				to: '+15550100003',
				template_name: 'promo_banner',
				language: 'en_US',
				components: [
					{ type: 'header', parameters: text('x') },
					{ type: 'body', parameters: text('Ana') },
				],
			},
			'Header expects 1 image parameter with a link, got text',
		],
	])('422 for %s', async (_name, body, detail) => {
		const res = await send(main.key, body);
		expect(res.status).toBe(422);
		expect(res.body).toEqual({ detail });
	});

	test('no message is recorded for a failed send', async () => {
		const t = await tenantWithTemplates();
		await send(t.key, shipping({ components: [] }));
		expect(await s.readBack(t.id, 'messages')).toEqual([]);
	});
});

describe('Idempotency-Key', () => {
	test('a retry with the same key and body replays the response and sends nothing new', async () => {
		const t = await tenantWithTemplates();
		const headers = { 'Idempotency-Key': '7c4d2e1a-0000-4000-8000-000000000001' };
		const first = await send(t.key, shipping(), headers);
		// the same request with keys in another order is the same request
		const { components, ...rest } = shipping();
		const second = await send(t.key, { components, ...Object.fromEntries(Object.entries(rest).reverse()) }, headers);
		expect(second.status).toBe(200);
		expect(second.body).toEqual(first.body);
		expect(second.headers.get('idempotent-replayed')).toBe('true');
		expect(first.headers.get('idempotent-replayed')).toBe('false');
		const messages = await s.readBack(t.id, 'messages');
		expect(messages).toHaveLength(1);
		expect(messages[0].idempotency_key).toBe(headers['Idempotency-Key']);
		const replays = await s.readBack(t.id, 'replays');
		expect(replays).toEqual([
			expect.objectContaining({
				idempotency_key: headers['Idempotency-Key'],
				message_id: first.body.message_id,
				request_id: second.headers.get('x-request-id'),
			}),
		]);
	});

	test('the same key with a different body → 422', async () => {
		const t = await tenantWithTemplates();
		const headers = { 'Idempotency-Key': '00000000-0000-4000-8000-000000000010' };
		await send(t.key, shipping(), headers);
		const res = await send(t.key, shipping({ to: '+15550100009' }), headers);
		expect(res.status).toBe(422);
		expect(res.body).toEqual({ detail: 'Idempotency-Key reused with a different request' });
		expect(await s.readBack(t.id, 'messages')).toHaveLength(1);
	});

	test('failed requests are not cached; keys are per tenant', async () => {
		const t = await tenantWithTemplates();
		const headers = { 'Idempotency-Key': '00000000-0000-4000-8000-000000000011' };
		expect((await send(t.key, shipping({ components: [] }), headers)).status).toBe(422);
		expect((await send(t.key, shipping(), headers)).status).toBe(200);
		const other = await tenantWithTemplates();
		expect((await send(other.key, shipping({ to: '+15550100009' }), headers)).status).toBe(200);
		expect(await s.readBack(other.id, 'messages')).toHaveLength(1);
	});

	test.each([
		['free text', 'order-C-1001'],
		['a number', '1042'],
		['a UUID of another version', '7c4d2e1a-3b5f-1c6d-8e9f-0a1b2c3d4e5f'],
		['a UUID v4 with a wrong variant', '7c4d2e1a-3b5f-4c6d-4e9f-0a1b2c3d4e5f'],
		['a UUID without dashes', '7c4d2e1a3b5f4c6d8e9f0a1b2c3d4e5f'],
	])('400 for a key that is not a UUID v4 (%s), and nothing is sent', async (_, key) => {
		const t = await tenantWithTemplates();
		const res = await send(t.key, shipping(), { 'Idempotency-Key': key });
		expect(res.status).toBe(400);
		expect(res.body.detail).toBe('Idempotency-Key must be a UUID v4, e.g. 7c4d2e1a-3b5f-4c6d-8e9f-0a1b2c3d4e5f');
		expect(await s.readBack(t.id, 'messages')).toEqual([]);
	});

	test('a UUID v4 in capitals is a key like any other', async () => {
		expect((await send(main.key, shipping(), { 'Idempotency-Key': '7C4D2E1A-3B5F-4C6D-8E9F-0A1B2C3D4E5F' })).status).toBe(200);
	});

	test('20 concurrent retries of one key create exactly one message', async () => {
		const t = await tenantWithTemplates();
		const headers = { 'Idempotency-Key': '00000000-0000-4000-8000-000000000012' };
		const results = await Promise.all(Array.from({ length: 20 }, () => send(t.key, shipping(), headers)));
		expect(results.every((r) => r.status === 200)).toBe(true);
		expect(new Set(results.map((r) => r.body.message_id)).size).toBe(1);
		expect(await s.readBack(t.id, 'messages')).toHaveLength(1);
		expect(await s.readBack(t.id, 'replays')).toHaveLength(19);
	});

	test('the cache expires after the configured TTL', async () => {
		const short = await start({ idempotencyTtlMs: 50 });
		try {
			const t = await short.tenant({ lifecycle: { enabled: false } });
			await short.control('POST', `/tenants/${t.id}/templates`, {
				template_name: 'hello',
				language: 'en',
				category: 'UTILITY',
				components: [{ type: 'BODY', text: 'Hi' }],
			});
			const body = { to: '+15550100002', template_name: 'hello' };
			const headers = { 'Idempotency-Key': '00000000-0000-4000-8000-000000000013' };
			await short.api('POST', '/messages/template', { key: t.key, body, headers });
			await new Promise((resolve) => setTimeout(resolve, 80));
			await short.api('POST', '/messages/template', { key: t.key, body, headers });
			expect(await short.readBack(t.id, 'messages')).toHaveLength(2);
		} finally {
			await short.sandbox.close();
		}
	});

	test('the request log records keys and request ids', async () => {
		const t = await tenantWithTemplates();
		await send(t.key, shipping(), { 'Idempotency-Key': '00000000-0000-4000-8000-000000000014', 'X-Request-Id': 'trace-1' });
		const log = await s.readBack(t.id, 'requests');
		expect(log).toEqual([
			expect.objectContaining({
				method: 'POST',
				path: '/api/v1/public/messages/template',
				status: 200,
				idempotency_key: '00000000-0000-4000-8000-000000000014',
				request_id: 'trace-1',
				time: expect.any(String),
			}),
		]);
	});
});
