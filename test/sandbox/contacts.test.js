'use strict';
const { start, receiver, waitFor } = require('./helpers');

let s;
let hook;
beforeAll(async () => {
	s = await start();
	hook = await receiver();
});
afterAll(async () => {
	await s.sandbox.close();
	await hook.close();
});

const ADA = {
	first_name: 'Ada',
	last_name: 'Lovelace',
	phone: '+15550100001',
	email: 'ada@example.com',
	company: 'Engines',
	status: 'customer',
};

/** A tenant with a generous limit; its key can do everything. */
async function tenant() {
	return s.tenant({ limits: { per_minute: 10000 } });
}
const as = (t) => ({
	get: (path) => s.api('GET', path, { key: t.key }),
	post: (path, body) => s.api('POST', path, { key: t.key, body }),
	patch: (path, body) => s.api('PATCH', path, { key: t.key, body }),
	del: (path) => s.api('DELETE', path, { key: t.key }),
});

describe('POST /contacts and GET /contacts/{id}', () => {
	test('creates a contact (201) with every field, the missing ones null or empty', async () => {
		const t = as(await tenant());
		const created = await t.post('/contacts', { ...ADA, tags: ['vip'], custom_fields: { opted_out: 'no' } });
		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			...ADA,
			job_title: null,
			tags: ['vip'],
			custom_fields: { opted_out: 'no' },
			created_at: expect.any(String),
			updated_at: expect.any(String),
		});
		expect((await t.get(`/contacts/${created.body.id}`)).body).toEqual(created.body);
		const bare = await t.post('/contacts', { first_name: 'Bo' });
		expect(bare.body).toMatchObject({ last_name: null, phone: null, email: null, tags: [], custom_fields: {} });
	});

	test.each([
		['no first name', { phone: '+15550100002' }, ['first_name'], 'missing'],
		['an empty first name', { first_name: '  ' }, ['first_name'], 'string_type'],
		['a first name over 255 characters', { first_name: 'x'.repeat(256) }, ['first_name'], 'string_type'],
		['a phone that is not E.164', { first_name: 'A', phone: '0155 5010' }, ['phone'], 'value_error'],
		['a phone over 20 characters', { first_name: 'A', phone: '+1'.padEnd(21, '5') }, ['phone'], 'string_too_long'],
		['an email that is not one', { first_name: 'A', email: 'ada at example' }, ['email'], 'value_error'],
		['tags that are not strings', { first_name: 'A', tags: 'vip' }, ['tags'], 'list_type'],
		['custom fields that are not an object', { first_name: 'A', custom_fields: ['x'] }, ['custom_fields'], 'dict_type'],
		['an unknown field', { first_name: 'A', nickname: 'Bo' }, ['nickname'], 'extra_forbidden'],
	])('refuses %s: 422 in the list form, nothing created', async (_, body, field, type) => {
		const t = await tenant();
		const res = await as(t).post('/contacts', body);
		expect(res.status).toBe(422);
		expect(res.body.detail).toEqual([expect.objectContaining({ loc: ['body', ...field], type })]);
		expect((await as(t).get('/contacts')).body.data).toEqual([]);
	});

	test('malformed JSON → 400; unknown or malformed id → 404', async () => {
		const t = await tenant();
		expect((await s.api('POST', '/contacts', { key: t.key, raw: '{', headers: { 'content-type': 'application/json' } })).status).toBe(400);
		expect((await as(t).get('/contacts/8f4c1a7e-6d2b-4c9a-b3e8-2f7a5d1c9e95')).status).toBe(404);
		expect((await as(t).get('/contacts/nope')).body).toEqual({ detail: 'Contact not found' });
	});

	test('scopes: reading needs contacts:read, writing contacts:write', async () => {
		const t = await tenant();
		const reader = (await s.control('POST', `/tenants/${t.id}/keys`, { scopes: ['contacts:read'] })).body.key;
		const writer = (await s.control('POST', `/tenants/${t.id}/keys`, { scopes: ['contacts:write'] })).body.key;
		expect((await s.api('POST', '/contacts', { key: reader, body: ADA })).body.detail).toMatchObject({
			required_permissions: ['contacts:write'],
		});
		const created = await s.api('POST', '/contacts', { key: writer, body: ADA });
		expect(created.status).toBe(201);
		expect((await s.api('GET', '/contacts', { key: writer })).status).toBe(403);
		expect((await s.api('POST', '/contacts/search', { key: writer, body: {} })).status).toBe(403);
		expect((await s.api('GET', `/contacts/${created.body.id}`, { key: reader })).status).toBe(200);
		expect((await s.api('DELETE', `/contacts/${created.body.id}`, { key: reader })).status).toBe(403);
	});
});

describe('PATCH and DELETE /contacts/{id}', () => {
	test('PATCH changes only the given fields; null clears one; bad values → 422', async () => {
		const t = as(await tenant());
		const { body: ada } = await t.post('/contacts', { ...ADA, tags: ['vip'] });
		const changed = await t.patch(`/contacts/${ada.id}`, { status: 'lead', company: null, custom_fields: { opted_out: 'yes' } });
		expect(changed.status).toBe(200);
		expect(changed.body).toMatchObject({
			first_name: 'Ada',
			phone: ADA.phone,
			status: 'lead',
			company: null,
			tags: ['vip'],
			custom_fields: { opted_out: 'yes' },
		});
		expect(changed.body.updated_at >= ada.updated_at).toBe(true);
		// custom fields are replaced as a whole: the ones not sent are gone
		const replaced = await t.patch(`/contacts/${ada.id}`, { custom_fields: { tier: 2 } });
		expect(replaced.body.custom_fields).toEqual({ tier: 2 });
		expect((await t.patch(`/contacts/${ada.id}`, { email: 'nope' })).status).toBe(422);
		expect((await t.patch(`/contacts/${ada.id}`, { first_name: '' })).status).toBe(422);
		expect((await t.patch('/contacts/8f4c1a7e-6d2b-4c9a-b3e8-2f7a5d1c9e95', { status: 'x' })).status).toBe(404);
	});

	test('DELETE archives (204): the contact is gone from GET, lists and searches, and cannot be deleted twice', async () => {
		const t = as(await tenant());
		const { body: ada } = await t.post('/contacts', ADA);
		expect((await t.del(`/contacts/${ada.id}`)).status).toBe(204);
		expect((await t.get(`/contacts/${ada.id}`)).status).toBe(404);
		expect((await t.get('/contacts')).body.data).toEqual([]);
		expect((await t.post('/contacts/search', { phones: [ADA.phone] })).body.data).toEqual([]);
		expect((await t.patch(`/contacts/${ada.id}`, { status: 'x' })).status).toBe(404);
		expect((await t.del(`/contacts/${ada.id}`)).status).toBe(404);
	});
});

describe('GET /contacts and POST /contacts/search [search body assumed]', () => {
	async function crowd() {
		const t = as(await tenant());
		await t.post('/contacts', ADA);
		await t.post('/contacts', {
			first_name: 'Grace',
			last_name: 'Hopper',
			phone: '+15550100002',
			company: 'Navy',
			status: 'lead',
			tags: ['vip', 'tech'],
		});
		await t.post('/contacts', {
			first_name: 'Alan',
			email: 'alan@bletchley.example',
			phone: '+15550100003',
			status: 'customer',
			tags: ['tech'],
		});
		return t;
	}
	const names = (res) => res.body.data.map((c) => c.first_name);

	test('search matches first and last name, email and company, case-insensitively; status matches exactly', async () => {
		const t = await crowd();
		expect(names(await t.get('/contacts?search=hop'))).toEqual(['Grace']);
		expect(names(await t.get('/contacts?search=BLETCHLEY'))).toEqual(['Alan']);
		expect(names(await t.get('/contacts?search=engines'))).toEqual(['Ada']);
		expect(names(await t.get('/contacts?status=customer'))).toEqual(['Ada', 'Alan']);
		expect(names(await t.get('/contacts?status=Customer'))).toEqual([]);
		expect(names(await t.get('/contacts?search=a&status=lead'))).toEqual(['Grace']);
	});

	test('pages: page and limit, pagination as the template list; bad values → 422', async () => {
		const t = await crowd();
		const second = await t.get('/contacts?page=2&limit=2');
		expect(names(second)).toEqual(['Alan']);
		expect(second.body.pagination).toEqual({ page: 2, limit: 2, total_items: 3, total_pages: 2, has_next: false, has_prev: true });
		expect((await t.get('/contacts?limit=101')).status).toBe(422);
		expect((await t.get('/contacts?page=0')).status).toBe(422);
		expect((await t.get('/contacts?limit=x')).body.detail[0].loc).toEqual(['query', 'limit']);
	});

	test('search by many phones at once, by tags (all of them), with paging; a bad body → 422', async () => {
		const t = await crowd();
		expect(names(await t.post('/contacts/search', { phones: ['+15550100003', '+15550100001', '+15550199999'] }))).toEqual(['Ada', 'Alan']);
		expect(names(await t.post('/contacts/search', { tags: ['tech'] }))).toEqual(['Grace', 'Alan']);
		expect(names(await t.post('/contacts/search', { tags: ['tech', 'vip'] }))).toEqual(['Grace']);
		expect(names(await t.post('/contacts/search', { search: 'a', status: 'customer', limit: 1, page: 2 }))).toEqual(['Alan']);
		expect((await t.post('/contacts/search', { phones: '+15550100001' })).status).toBe(422);
		expect((await t.post('/contacts/search', { phones: Array(501).fill('+15550100001') })).status).toBe(422);
		expect((await t.post('/contacts/search', { limit: 500 })).body.detail[0].loc).toEqual(['body', 'limit']);
	});
});

describe('POST /contacts/bulk [body and limits assumed]', () => {
	test('creates every valid contact and reports each invalid one by index; upsert_by phone updates the live contact with that phone', async () => {
		const t = as(await tenant());
		const { body: ada } = await t.post('/contacts', ADA);
		const res = await t.post('/contacts/bulk', {
			upsert_by: 'phone',
			contacts: [{ first_name: 'Ada', phone: ADA.phone, status: 'vip' }, { first_name: 'Bo', phone: '+15550100009' }, { phone: 'x' }, 'no'],
		});
		expect(res.status).toBe(200);
		expect(res.body.data.map((r) => [r.index, r.status, r.contact?.id ?? r.detail.map((d) => d.loc.at(-1))])).toEqual([
			[0, 'updated', ada.id],
			[1, 'created', expect.any(String)],
			[2, 'failed', ['first_name', 'phone']],
			[3, 'failed', [3]],
		]);
		expect(res.body.data[0].contact).toMatchObject({ first_name: 'Ada', status: 'vip', email: ADA.email });
		expect((await t.get(`/contacts/${ada.id}`)).body.status).toBe('vip');
		// without upsert_by, the same phone makes a second contact
		expect((await t.post('/contacts/bulk', { contacts: [{ first_name: 'Ada', phone: ADA.phone }] })).body.data[0].status).toBe('created');
		expect((await t.post('/contacts/search', { phones: [ADA.phone] })).body.data).toHaveLength(2);
	});

	test('limits: 1 to 500 contacts; upsert_by only phone', async () => {
		const t = as(await tenant());
		expect((await t.post('/contacts/bulk', { contacts: [] })).status).toBe(422);
		expect((await t.post('/contacts/bulk', { contacts: Array(501).fill({ first_name: 'A' }) })).status).toBe(422);
		expect((await t.post('/contacts/bulk', { contacts: [{ first_name: 'A' }], upsert_by: 'email' })).status).toBe(422);
		const many = await t.post('/contacts/bulk', { contacts: Array(500).fill({ first_name: 'A' }) });
		expect(many.body.data.filter((r) => r.status === 'created')).toHaveLength(500);
	});
});

test('contact.created, contact.updated and contact.deleted are delivered with the contact as data', async () => {
	const t = await tenant();
	const endpoint = (
		await s.api('POST', '/webhooks', {
			key: t.key,
			body: { url: hook.url, events: ['contact.created', 'contact.updated', 'contact.deleted'] },
		})
	).body.data;
	const { body: ada } = await as(t).post('/contacts', ADA);
	await as(t).patch(`/contacts/${ada.id}`, { status: 'lead' });
	await as(t).del(`/contacts/${ada.id}`);
	const mine = () => hook.received.filter((r) => r.headers['x-lynkist-webhook-id'] === endpoint.id).map((r) => JSON.parse(r.body));
	await waitFor(() => mine().length === 3);
	expect(mine().map((e) => [e.type, e.data.id, e.data.status])).toEqual([
		['contact.created', ada.id, 'customer'],
		['contact.updated', ada.id, 'lead'],
		['contact.deleted', ada.id, 'lead'],
	]);
	expect(mine()[0].data).toMatchObject({ first_name: 'Ada', phone: ADA.phone, tags: [], custom_fields: {} });
});
