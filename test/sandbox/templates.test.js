'use strict';
const { start, sleep, waitFor } = require('./helpers');
const { DEMO_KEY, SEED_TEMPLATE_IDS } = require('../../sandbox');

let s;
beforeAll(async () => {
	s = await start();
});
afterAll(() => s.sandbox.close());

const valid = (overrides = {}) => ({
	template_name: 'order_update',
	language: 'en_US',
	category: 'UTILITY',
	components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} is ready.' }],
	...overrides,
});

describe('POST /templates', () => {
	let key;
	beforeAll(async () => {
		({ key } = await s.tenant());
	});

	test('201 with the draft', async () => {
		const res = await s.api('POST', '/templates', { key, body: valid({ template_name: 'created_ok' }) });
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({
			template_name: 'created_ok',
			language: 'en_US',
			category: 'UTILITY',
			status: 'draft',
			updated_at: null,
		});
		expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(Number.isNaN(Date.parse(res.body.created_at))).toBe(false);
		expect(res.body.components).toEqual(valid().components);
	});

	test('409 for an existing name + language in any status; another language is fine', async () => {
		await s.api('POST', '/templates', { key, body: valid({ template_name: 'dupe' }) });
		const again = await s.api('POST', '/templates', { key, body: valid({ template_name: 'dupe' }) });
		expect(again.status).toBe(409);
		expect(again.body).toEqual({ detail: "A template named 'dupe' with language 'en_US' already exists" });
		expect((await s.api('POST', '/templates', { key, body: valid({ template_name: 'dupe', language: 'es' }) })).status).toBe(201);
	});

	test('400 for malformed JSON and missing fields', async () => {
		const malformed = await s.api('POST', '/templates', { key, raw: '{nope', headers: { 'Content-Type': 'application/json' } });
		expect(malformed.status).toBe(400);
		const missing = await s.api('POST', '/templates', { key, body: { template_name: 'x' } });
		expect(missing.status).toBe(400);
		expect(missing.body.detail).toBe('Missing required field(s): language, category, components');
	});

	const cases = [
		['uppercase name', { template_name: 'Bad_Name' }, ['body', 'template_name']],
		['name with dash', { template_name: 'bad-name' }, ['body', 'template_name']],
		['name too long', { template_name: 'a'.repeat(256) }, ['body', 'template_name']],
		['empty name', { template_name: '' }, ['body', 'template_name']],
		['language too short', { language: 'e' }, ['body', 'language']],
		['language with dash', { language: 'en-US' }, ['body', 'language']],
		['language too long', { language: 'abcdefghijk' }, ['body', 'language']],
		['unknown category', { category: 'SPAM' }, ['body', 'category']],
		['components not a list', { components: {} }, ['body', 'components']],
		['no BODY', { components: [{ type: 'FOOTER', text: 'x' }] }, ['body', 'components']],
		[
			'two BODYs',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BODY', text: 'b' },
				],
			},
			['body', 'components'],
		],
		['unknown component type', { components: [{ type: 'BODY', text: 'a' }, { type: 'CAROUSEL' }] }, ['body', 'components', 1, 'type']],
		['BODY without text', { components: [{ type: 'BODY' }] }, ['body', 'components', 0, 'text']],
		['variables with a gap', { components: [{ type: 'BODY', text: '{{1}} and {{3}}' }] }, ['body', 'components', 0, 'text']],
		['variables not from 1', { components: [{ type: 'BODY', text: '{{2}}' }] }, ['body', 'components', 0, 'text']],
		[
			'two HEADERs',
			{
				components: [
					{ type: 'HEADER', format: 'IMAGE' },
					{ type: 'HEADER', format: 'IMAGE' },
					{ type: 'BODY', text: 'a' },
				],
			},
			['body', 'components'],
		],
		[
			'bad header format',
			{
				components: [
					{ type: 'HEADER', format: 'GIF' },
					{ type: 'BODY', text: 'a' },
				],
			},
			['body', 'components', 0, 'format'],
		],
		[
			'TEXT header without text',
			{
				components: [
					{ type: 'HEADER', format: 'TEXT' },
					{ type: 'BODY', text: 'a' },
				],
			},
			['body', 'components', 0, 'text'],
		],
		[
			'TEXT header too long',
			{
				components: [
					{ type: 'HEADER', format: 'TEXT', text: 'x'.repeat(61) },
					{ type: 'BODY', text: 'a' },
				],
			},
			['body', 'components', 0, 'text'],
		],
		[
			'TEXT header with two variables',
			{
				components: [
					{ type: 'HEADER', format: 'TEXT', text: '{{1}} {{2}}' },
					{ type: 'BODY', text: 'a' },
				],
			},
			['body', 'components', 0, 'text'],
		],
		[
			'FOOTER with a variable',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'FOOTER', text: 'hi {{1}}' },
				],
			},
			['body', 'components', 1, 'text'],
		],
		[
			'two FOOTERs',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'FOOTER', text: 'x' },
					{ type: 'FOOTER', text: 'y' },
				],
			},
			['body', 'components'],
		],
		[
			'no buttons',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: [] },
				],
			},
			['body', 'components', 1, 'buttons'],
		],
		[
			'eleven buttons',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: Array.from({ length: 11 }, () => ({ type: 'QUICK_REPLY', text: 'x' })) },
				],
			},
			['body', 'components', 1, 'buttons'],
		],
		[
			'two BUTTONS',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: [{ type: 'COPY_CODE' }] },
					{ type: 'BUTTONS', buttons: [{ type: 'COPY_CODE' }] },
				],
			},
			['body', 'components'],
		],
		[
			'unknown button type',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: [{ type: 'FLOW' }] },
				],
			},
			['body', 'components', 1, 'buttons', 0, 'type'],
		],
		[
			'URL button without url',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go' }] },
				],
			},
			['body', 'components', 1, 'buttons', 0, 'url'],
		],
		[
			'URL variable not at the end',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go', url: 'https://x.io/{{1}}/y' }] },
				],
			},
			['body', 'components', 1, 'buttons', 0, 'url'],
		],
		[
			'URL with two variables',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go', url: 'https://x.io/{{1}}{{2}}' }] },
				],
			},
			['body', 'components', 1, 'buttons', 0, 'url'],
		],
		[
			'PHONE_NUMBER without number',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call' }] },
				],
			},
			['body', 'components', 1, 'buttons', 0, 'phone_number'],
		],
		[
			'QUICK_REPLY without text',
			{
				components: [
					{ type: 'BODY', text: 'a' },
					{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY' }] },
				],
			},
			['body', 'components', 1, 'buttons', 0, 'text'],
		],
	];

	test.each(cases)('422 for %s', async (_name, overrides, loc) => {
		const res = await s.api('POST', '/templates', { key, body: valid({ template_name: 'validated', ...overrides }) });
		expect(res.status).toBe(422);
		expect(Array.isArray(res.body.detail)).toBe(true);
		for (const entry of res.body.detail) {
			expect(entry).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
		}
		expect(res.body.detail.map((d) => d.loc)).toContainEqual(loc);
	});

	test('422 lists one entry per problem', async () => {
		const res = await s.api('POST', '/templates', { key, body: { template_name: 'BAD', language: 'x', category: 'NOPE', components: [] } });
		expect(res.status).toBe(422);
		expect(res.body.detail.map((d) => d.loc)).toEqual([
			['body', 'template_name'],
			['body', 'language'],
			['body', 'category'],
			['body', 'components'],
		]);
		expect(res.body.detail[0].msg).toMatch(/lowercase/);
	});

	test('the full grammar is accepted, including COPY_CODE and 255-char names', async () => {
		const res = await s.api('POST', '/templates', {
			key,
			body: valid({
				template_name: 'a'.repeat(255),
				language: 'pt_BR',
				category: 'MARKETING',
				components: [
					{ type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}' },
					{ type: 'BODY', text: '{{1}} {{2}} {{1}}' },
					{ type: 'FOOTER', text: 'Bye' },
					{
						type: 'BUTTONS',
						buttons: [
							{ type: 'URL', text: 'Go', url: 'https://x.io/{{1}}' },
							{ type: 'PHONE_NUMBER', text: 'Call', phone_number: '+15550100' },
							{ type: 'QUICK_REPLY', text: 'Stop' },
							{ type: 'COPY_CODE', example: 'SUMMER20' },
						],
					},
				],
			}),
		});
		expect(res.status).toBe(201);
	});
});

describe("Meta's button rules", () => {
	let key;
	beforeAll(async () => {
		({ key } = await s.tenant());
	});
	const body = { type: 'BODY', text: '{{1}} is your verification code.' };
	const create = (category, components) =>
		s.api('POST', '/templates', {
			key,
			body: valid({ template_name: `t_${Math.random().toString(36).slice(2, 10)}`, category, components }),
		});

	test('an AUTHENTICATION template is created with an OTP copy-code button and reads back as a URL button ending in the code', async () => {
		const res = await create('AUTHENTICATION', [
			body,
			{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
		]);
		expect(res.status).toBe(201);
		expect(res.body.components[1]).toEqual({
			type: 'BUTTONS',
			buttons: [{ type: 'URL', text: 'Copy code', url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}' }],
		});
	});

	test.each([
		[
			'a COPY_CODE (coupon) button in an AUTHENTICATION template',
			'AUTHENTICATION',
			[{ type: 'COPY_CODE', example: 'X1' }],
			/exactly one button, of type OTP/,
		],
		['no button in an AUTHENTICATION template', 'AUTHENTICATION', null, /exactly one button, of type OTP/],
		[
			'an OTP button outside AUTHENTICATION',
			'UTILITY',
			[{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy' }],
			/OTP buttons are only allowed in AUTHENTICATION/,
		],
		['a coupon button outside MARKETING', 'UTILITY', [{ type: 'COPY_CODE', example: 'X1' }], /only allowed in MARKETING/],
		['a coupon button without its example', 'MARKETING', [{ type: 'COPY_CODE' }], /needs an example offer code/],
		['an OTP button without otp_type', 'AUTHENTICATION', [{ type: 'OTP', text: 'Copy' }], /Input should be 'COPY_CODE'/],
		['a ONE_TAP button without its app', 'AUTHENTICATION', [{ type: 'OTP', otp_type: 'ONE_TAP', text: 'Autofill' }], /supported_apps/],
	])('422 for %s', async (_, category, buttons, message) => {
		const res = await create(category, buttons ? [body, { type: 'BUTTONS', buttons }] : [body]);
		expect(res.status).toBe(422);
		expect(res.body.detail.map((d) => d.msg).join(' ')).toMatch(message);
	});
});

describe('submit and review', () => {
	test('draft → pending → approved, visible to GET once approved', async () => {
		const { key } = await s.tenant({ review: { delay_ms: 150 } });
		const created = (await s.api('POST', '/templates', { key, body: valid() })).body;
		expect((await s.api('GET', `/templates/${created.id}`, { key })).status).toBe(404);
		const submitted = await s.api('POST', `/templates/${created.id}/submit`, { key });
		expect(submitted.status).toBe(200);
		expect(submitted.body).toMatchObject({ id: created.id, status: 'pending' });
		const again = await s.api('POST', `/templates/${created.id}/submit`, { key });
		expect(again.status).toBe(409);
		expect(again.body).toEqual({ detail: 'Template is already pending' });
		const approved = await waitFor(async () => {
			const res = await s.api('GET', `/templates/${created.id}`, { key });
			return res.status === 200 && res.body;
		});
		expect(approved.status).toBe('approved');
		expect(approved.updated_at).not.toBeNull();
		const third = await s.api('POST', `/templates/${created.id}/submit`, { key });
		expect(third.body).toEqual({ detail: 'Template is already approved' });
	});

	test('tenant-wide rejected outcome and refusal to resubmit', async () => {
		const { id, key } = await s.tenant({ review: { delay_ms: 50, outcome: 'rejected' } });
		const created = (await s.api('POST', '/templates', { key, body: valid() })).body;
		await s.api('POST', `/templates/${created.id}/submit`, { key });
		await waitFor(async () => (await s.readBack(id, 'templates')).find((t) => t.id === created.id).status === 'rejected');
		expect((await s.api('GET', `/templates/${created.id}`, { key })).status).toBe(404);
		const res = await s.api('POST', `/templates/${created.id}/submit`, { key });
		expect(res.status).toBe(409);
		expect(res.body).toEqual({ detail: 'A rejected template cannot be resubmitted; create a new template' });
	});

	test('per-template-name outcome override (disabled)', async () => {
		const { id, key } = await s.tenant({ review: { delay_ms: 50 } });
		const set = await s.control('PUT', `/tenants/${id}/review-outcomes/flaky_one`, { outcome: 'disabled' });
		expect(set.body.outcomes).toEqual({ flaky_one: 'disabled' });
		const flaky = (await s.api('POST', '/templates', { key, body: valid({ template_name: 'flaky_one' }) })).body;
		const fine = (await s.api('POST', '/templates', { key, body: valid({ template_name: 'fine_one' }) })).body;
		await s.api('POST', `/templates/${flaky.id}/submit`, { key });
		await s.api('POST', `/templates/${fine.id}/submit`, { key });
		await sleep(150);
		const all = await s.readBack(id, 'templates');
		expect(all.find((t) => t.id === flaky.id).status).toBe('disabled');
		expect(all.find((t) => t.id === fine.id).status).toBe('approved');
		const again = await s.api('POST', `/templates/${flaky.id}/submit`, { key });
		expect(again.body).toEqual({ detail: 'Template is already disabled' });
	});

	test('submit of an unknown or non-UUID id → 404', async () => {
		const { key } = await s.tenant();
		expect((await s.api('POST', '/templates/00000000-0000-4000-8000-000000000000/submit', { key })).status).toBe(404);
		const res = await s.api('POST', '/templates/not-a-uuid/submit', { key });
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ detail: 'Template not found' });
	});
});

describe('GET /templates and /templates/{id}', () => {
	test('the seeded demo list: approved only, newest first', async () => {
		const res = await s.api('GET', '/templates', { key: DEMO_KEY });
		expect(res.body.data.map((t) => `${t.template_name}/${t.language}`)).toEqual([
			'appointment_confirmation/en_US',
			'login_code/en_US',
			'promo_banner/en_US',
			'welcome_message/en',
			'shipping_update/en_US',
			'order_confirmation/es',
			'order_confirmation/en_US',
		]);
		expect(res.body.pagination).toEqual({ page: 1, limit: 20, total_items: 7, total_pages: 1, has_next: false, has_prev: false });
	});

	test('seeded ids are fixed; the seeded draft is 404', async () => {
		const res = await s.api('GET', `/templates/${SEED_TEMPLATE_IDS.order_confirmation_en_US}`, { key: DEMO_KEY });
		expect(res.status).toBe(200);
		expect(res.body.components[0]).toEqual({ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' });
		expect((await s.api('GET', `/templates/${SEED_TEMPLATE_IDS.appointment_reminder_en_US}`, { key: DEMO_KEY })).status).toBe(404);
		expect((await s.api('GET', '/templates/nope', { key: DEMO_KEY })).body).toEqual({ detail: 'Template not found' });
	});

	test('pagination over generated templates', async () => {
		const { id, key } = await s.tenant();
		const seeded = await s.control('POST', `/tenants/${id}/templates`, { generate: 45, name_prefix: 'bulk' });
		expect(seeded.status).toBe(201);
		await s.control('POST', `/tenants/${id}/templates`, { generate: 3, name_prefix: 'hidden', status: 'pending' });
		const page1 = await s.api('GET', '/templates?limit=20', { key });
		expect(page1.body.data).toHaveLength(20);
		expect(page1.body.data[0].template_name).toBe('bulk_0045');
		expect(page1.body.pagination).toEqual({ page: 1, limit: 20, total_items: 45, total_pages: 3, has_next: true, has_prev: false });
		const page3 = await s.api('GET', '/templates?page=3&limit=20', { key });
		expect(page3.body.data.map((t) => t.template_name)).toEqual(['bulk_0005', 'bulk_0004', 'bulk_0003', 'bulk_0002', 'bulk_0001']);
		expect(page3.body.pagination).toMatchObject({ page: 3, has_next: false, has_prev: true });
		const beyond = await s.api('GET', '/templates?page=9', { key });
		expect(beyond.body.data).toEqual([]);
		expect(beyond.body.pagination).toMatchObject({ page: 9, total_pages: 3, has_next: false, has_prev: true });
		const max = await s.api('GET', '/templates?limit=100', { key });
		expect(max.body.data).toHaveLength(45);
	});

	test('same created_at: later insertion first', async () => {
		const { id, key } = await s.tenant();
		const at = '2026-01-01T00:00:00.000Z';
		for (const name of ['first', 'second']) {
			await s.control('POST', `/tenants/${id}/templates`, { ...valid({ template_name: name }), created_at: at });
		}
		const res = await s.api('GET', '/templates', { key });
		expect(res.body.data.map((t) => t.template_name)).toEqual(['second', 'first']);
	});

	test.each([
		['page=0', ['query', 'page'], 'greater_than_equal'],
		['page=abc', ['query', 'page'], 'int_parsing'],
		['limit=0', ['query', 'limit'], 'greater_than_equal'],
		['limit=101', ['query', 'limit'], 'less_than_equal'],
		['limit=2.5', ['query', 'limit'], 'int_parsing'],
	])('422 for %s', async (query, loc, type) => {
		const res = await s.api('GET', `/templates?${query}`, { key: DEMO_KEY });
		expect(res.status).toBe(422);
		expect(res.body.detail).toEqual([{ loc, msg: expect.any(String), type }]);
	});
});
