/**
 * The Contact resource in real n8n against the sandbox's Contacts API: create, create or update
 * (in bulk, and one by one when Lynkist refuses the bulk body), get, get many, update, delete;
 * bad input stops before any request, naming the item and the field; Lynkist's statuses. And
 * Send Template's contact options: opted-out recipients skipped, the contact behind a send saved.
 */
import { createServer, type AddressInfo } from 'node:net';

import { codeNode, lynkistCredential, lynkistNode, manualWorkflow, N8n, sendTemplateNode, WorkflowJson, startN8n } from './harness';
import { control, createKey, createTenant, readBack, Sandbox, seedTemplate, startSandbox } from './harness/sandbox';

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
let credential: ReturnType<typeof lynkistCredential>;
let orderTemplateId: string;
const flows: Record<string, WorkflowJson> = {};

const contact = (name: string, parameters: Record<string, unknown>, extra = {}) =>
	lynkistNode(name, { resource: 'contact', ...parameters }, credential, extra);
const people = (rows: Array<Record<string, unknown>>) => codeNode('People', `return ${JSON.stringify(rows.map((json) => ({ json })))};`);
const requests = async (fromIndex: number) => (await readBack(sandbox, tenant.id, 'requests')).slice(fromIndex);
const contactsWith = async (body: Record<string, unknown>) =>
	((await (await api('POST', '/contacts/search', { limit: 100, ...body })).json()) as { data: Array<Record<string, any>> }).data;
const contactsNow = async () => ((await (await api('GET', '/contacts?limit=100')).json()) as { data: Array<Record<string, any>> }).data;
const api = (method: string, path: string, body?: unknown) =>
	fetch(`${sandbox.apiUrl}${path}`, {
		method,
		headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});

const upsertParams = {
	operation: 'upsert',
	phone: '={{ $json.phone }}',
	first_name: '={{ $json.name }}',
	additionalFields: { tags: '={{ $json.tags }}', custom_fields: { field: [{ key: 'opted_out', value: '={{ $json.optedOut }}' }] } },
};
const SHOP = [
	{ phone: '+1 (555) 010-0001', name: 'Ada', tags: 'vip', optedOut: 'no' },
	{ phone: '+15550100002', name: 'Grace', tags: 'vip, tech', optedOut: 'yes' },
	{ phone: '0044 20 7946 0003', name: 'Alan', tags: '', optedOut: 'no' },
];

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	tenant = await createTenant(sandbox, { limits: { per_minute: 100_000, per_day: 1_000_000 } });
	credential = lynkistCredential(tenant.key, sandbox.apiUrl);
	orderTemplateId = (await seedTemplate(sandbox, tenant.id)).id;
	const readOnly = lynkistCredential(await createKey(sandbox, tenant.id, ['contacts:read']), sandbox.apiUrl, 'contacts:read only');
	flows.create = manualWorkflow('create', [
		contact('Create', {
			operation: 'create',
			first_name: 'Edsger',
			phone: '+31 20 555 0100',
			additionalFields: { email: 'edsger@example.com', status: 'lead', tags: 'research' },
		}),
	]);
	flows.badCreate = manualWorkflow('bad create', [
		people([
			{ name: 'Ok', phone: '+15550100101' },
			{ name: '', phone: '+15550100102' },
		]),
		contact('Create', { operation: 'create', first_name: '={{ $json.name }}', phone: '={{ $json.phone }}' }),
	]);
	flows.upsert = manualWorkflow('upsert', [people(SHOP), contact('Sync', upsertParams)]);
	flows.thousand = manualWorkflow('a thousand customers', [
		codeNode(
			'People',
			"return Array.from({ length: 1000 }, (_, i) => ({ json: { phone: '+1555070' + String(1000 + i), name: 'Customer ' + i, tags: 'bulk', optedOut: i % 10 ? 'no' : 'yes' } }));",
		),
		contact('Sync', upsertParams),
	]);
	flows.readOnly = manualWorkflow('read only', [
		lynkistNode('Create', { resource: 'contact', operation: 'create', first_name: 'X' }, readOnly),
	]);
	flows.read = manualWorkflow(
		'read',
		[contact('Many', { operation: 'getAll', returnAll: true, filters: { status: 'lead' }, simplify: true })],
		[contact('Search', { operation: 'getAll', returnAll: false, limit: 1, filters: { search: 'ADA' } })],
	);
	n8n = await startN8n({ credentials: [credential, readOnly], workflows: Object.values(flows) });
}, 240_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 60_000);

it('Create: a contact with its fields, the phone as E.164', async () => {
	const [created] = (await n8n.run(flows.create.id)).items('Create');
	expect(created).toMatchObject({
		id: expect.any(String),
		first_name: 'Edsger',
		phone: '+31205550100',
		email: 'edsger@example.com',
		status: 'lead',
		tags: ['research'],
	});
});

it('bad input stops the node before any request, naming the item and the field', async () => {
	const before = (await readBack(sandbox, tenant.id, 'requests')).length;
	const run = await n8n.run(flows.badCreate.id);
	expect(run.error('Create')?.message).toBe('"First Name" of item 2 is empty: Lynkist needs a first name for a new contact');
	expect(await requests(before)).toEqual([]);
});

it('On Error → Continue (using error output): a bad item goes down the error output with its input, the others are created', async () => {
	const flow = manualWorkflow('error output', [
		people([
			{ name: 'Good', phone: '+15550100111', email: 'good@example.com' },
			{ name: 'Bad', phone: '+15550100112', email: 'not an email' },
		]),
		contact(
			'Create',
			{
				operation: 'create',
				first_name: '={{ $json.name }}',
				phone: '={{ $json.phone }}',
				additionalFields: { email: '={{ $json.email }}' },
			},
			{ onError: 'continueErrorOutput' },
		),
	]);
	await n8n.importWorkflows([flow]);
	const run = await n8n.run(flow.id);
	expect(run.items('Create', 0).map((c) => c.first_name)).toEqual(['Good']);
	expect(run.items('Create', 1)).toEqual([
		{
			name: 'Bad',
			phone: '+15550100112',
			email: 'not an email',
			error: '"Email" of item 2 "not an email" is not an email address',
			details: { description: 'Nothing was sent for this item.' },
		},
	]);
	expect(await contactsWith({ phones: ['+15550100111', '+15550100112'] })).toMatchObject([{ first_name: 'Good' }]);
});

it('a key without contacts:write: the error names the scope', async () => {
	const run = await n8n.run(flows.readOnly.id);
	expect(run.error('Create')?.message).toBe('The Lynkist API key is missing the scope contacts:write');
});

it('Create or Update: three shop customers in one search and one bulk request; run again, the same three updated, none twice, custom fields set in Lynkist kept', async () => {
	const before = (await readBack(sandbox, tenant.id, 'requests')).length;
	const first = (await n8n.run(flows.upsert.id)).items('Sync');
	expect(first.map((c) => [c.action, c.first_name, c.phone, c.tags, c.custom_fields])).toEqual([
		['created', 'Ada', '+15550100001', ['vip'], { opted_out: 'no' }],
		['created', 'Grace', '+15550100002', ['vip', 'tech'], { opted_out: 'yes' }],
		['created', 'Alan', '+442079460003', [], { opted_out: 'no' }],
	]);
	expect((await requests(before)).map((r) => `${r.method} ${r.path.split('/public')[1]}`)).toEqual([
		'POST /contacts/search',
		'POST /contacts/bulk',
	]);
	// Lynkist replaces a contact's custom fields as a whole: a field set there must survive a sync.
	expect((await api('PATCH', `/contacts/${first[0].id}`, { custom_fields: { opted_out: 'no', source: 'dashboard' } })).status).toBe(200);
	const again = (await n8n.run(flows.upsert.id)).items('Sync');
	expect(again.map((c) => [c.action, c.id])).toEqual(first.map((c) => ['updated', c.id]));
	expect(again[0].custom_fields).toEqual({ opted_out: 'no', source: 'dashboard' });
	expect((await contactsNow()).filter((c) => SHOP.some((s) => s.name === c.first_name))).toHaveLength(3);
});

it('Create or Update when Lynkist refuses the bulk body: one search, then one request per item, at once, the same result', async () => {
	await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, {
		kind: 'status',
		method: 'POST',
		path: '/contacts/bulk',
		status: 404,
		times: 10,
	});
	// each update takes 1.5 s: one after the other, the second would end 1.5 s after the first
	await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, {
		kind: 'latency',
		method: 'PATCH',
		path: '/contacts/',
		latency_ms: 1500,
		times: 2,
	});
	await api('DELETE', `/contacts/${(await contactsNow()).find((c) => c.first_name === 'Alan')!.id}`);
	const before = (await readBack(sandbox, tenant.id, 'requests')).length;
	const out = (await n8n.run(flows.upsert.id)).items('Sync');
	expect(out.map((c) => [c.action, c.first_name])).toEqual([
		['updated', 'Ada'],
		['updated', 'Grace'],
		['created', 'Alan'],
	]);
	const seen = (await requests(before)).map(
		(r) => `${r.method} ${r.path.split('/public')[1].replace(/[0-9a-f-]{36}/, '{id}')} ${r.status}`,
	);
	const updated = (await requests(before)).filter((r) => r.method === 'PATCH').map((r) => Date.parse(r.time));
	expect(Math.abs(updated[1] - updated[0])).toBeLessThan(1000);
	// the three items go at once: in any order after the search and the refused bulk request
	expect([...seen.slice(0, 2), ...seen.slice(2).sort()]).toEqual([
		'POST /contacts/search 200',
		'POST /contacts/bulk 404',
		'PATCH /contacts/{id} 200',
		'PATCH /contacts/{id} 200',
		'POST /contacts 201',
	]);
	await control(sandbox, 'DELETE', `/tenants/${tenant.id}/faults`);
});

it('one by one, two items with the same new phone: one contact, created then updated', async () => {
	await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, { kind: 'status', method: 'POST', path: '/contacts/bulk', status: 404 });
	const flow = manualWorkflow('same phone twice', [
		people([
			{ phone: '+15550100077', name: 'Twice', tags: 'a', optedOut: 'no' },
			{ phone: '+1 555 010 0077', name: 'Twice', tags: 'b', optedOut: 'yes' },
		]),
		contact('Sync', upsertParams),
	]);
	await n8n.importWorkflows([flow]);
	const out = (await n8n.run(flow.id)).items('Sync');
	expect(out.map((c) => c.action)).toEqual(['created', 'updated']);
	expect(out[1].id).toBe(out[0].id);
	expect(await contactsWith({ phones: ['+15550100077'] })).toMatchObject([{ tags: ['b'], custom_fields: { opted_out: 'yes' } }]);
});

it('a thousand customers: ten searches of 100 phones and two bulk requests; where Lynkist refuses them, one request per item', async () => {
	const paths = (list: Array<Record<string, any>>) =>
		list.map((r) => `${r.method} ${r.path.split('/public')[1].replace(/[0-9a-f-]{36}/, '{id}')}`);
	let before = (await readBack(sandbox, tenant.id, 'requests')).length;
	const first = (await n8n.run(flows.thousand.id)).items('Sync');
	expect(first.filter((c) => c.action === 'created')).toHaveLength(1000);
	expect(paths(await requests(before))).toEqual([...Array(10).fill('POST /contacts/search'), 'POST /contacts/bulk', 'POST /contacts/bulk']);

	await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, {
		kind: 'status',
		method: 'POST',
		path: '/contacts/bulk',
		status: 404,
		times: 10,
	});
	before = (await readBack(sandbox, tenant.id, 'requests')).length;
	const again = (await n8n.run(flows.thousand.id, { timeoutMs: 300_000 })).items('Sync');
	expect(again.map((c) => c.id)).toEqual(first.map((c) => c.id));
	expect(again.every((c) => c.action === 'updated')).toBe(true);
	const seen = paths(await requests(before));
	expect(seen.filter((p) => p === 'POST /contacts/bulk')).toHaveLength(1);
	expect(seen.filter((p) => p === 'POST /contacts/search')).toHaveLength(10);
	expect(seen.filter((p) => p === 'PATCH /contacts/{id}')).toHaveLength(1000);
	await control(sandbox, 'DELETE', `/tenants/${tenant.id}/faults`);
}, 400_000);

it('the contact picker searches Lynkist by name', async () => {
	const { status, body } = await n8n.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
		path: 'parameters.contact',
		nodeTypeAndVersion: { name: 'n8n-nodes-lynkist.lynkist', version: 1 },
		currentNodeParameters: { resource: 'contact', operation: 'get', contact: { __rl: true, mode: 'list', value: '' } },
		methodName: 'searchContacts',
		credentials: { lynkistApi: { id: credential.id, name: credential.name } },
		filter: 'grace',
	});
	expect(status).toBe(200);
	expect(body.data.results).toEqual([{ name: 'Grace · +15550100002', value: expect.any(String) }]);
});

it('Get Many with a status filter and Simplify, and a search with a limit', async () => {
	const run = await n8n.run(flows.read.id);
	expect(run.items('Many')).toEqual([
		{
			id: expect.any(String),
			first_name: 'Edsger',
			last_name: null,
			phone: '+31205550100',
			email: 'edsger@example.com',
			status: 'lead',
			tags: ['research'],
		},
	]);
	expect(run.items('Search').map((c) => c.first_name)).toEqual(['Ada']);
});

it('Get, Update (only the fields given) and Delete by ID; a deleted contact is not found', async () => {
	const ada = (await contactsNow()).find((c) => c.first_name === 'Ada')!;
	const byId = { __rl: true, mode: 'id', value: ada.id };
	const flow = manualWorkflow(
		'get update delete',
		[contact('Get', { operation: 'get', contact: byId })],
		[
			contact('Update', {
				operation: 'update',
				contact: byId,
				updateFields: { status: 'customer', custom_fields: { field: [{ key: 'opted_out', value: 'yes' }] } },
			}),
		],
	);
	const gone = manualWorkflow('delete then get', [
		contact('Delete', { operation: 'delete', contact: byId }),
		contact('Get', { operation: 'get', contact: byId }, { onError: 'continueRegularOutput' }),
	]);
	await n8n.importWorkflows([flow, gone]);
	const run = await n8n.run(flow.id);
	expect(run.items('Get')[0]).toMatchObject({ id: ada.id, first_name: 'Ada', tags: ['vip'] });
	expect(run.items('Update')[0]).toMatchObject({
		id: ada.id,
		first_name: 'Ada',
		status: 'customer',
		tags: ['vip'],
		custom_fields: { opted_out: 'yes', source: 'dashboard' },
	});
	const after = await n8n.run(gone.id);
	expect(after.items('Delete')).toEqual([{ id: ada.id, deleted: true }]);
	expect(after.items('Get')[0]).toMatchObject({ error: `Contact ${ada.id} not found`, httpCode: '404' });
});

describe("Lynkist's statuses for contact operations", () => {
	const unknownId = '00000000-0000-4000-8000-000000000000';
	const onError = { onError: 'continueRegularOutput' as const };
	const runOne = async (name: string, node: ReturnType<typeof contact>) => {
		const flow = manualWorkflow(name, [node]);
		await n8n.importWorkflows([flow]);
		return (await n8n.run(flow.id)).items(node.name)[0];
	};

	it('401: a revoked key is named, with what to do', async () => {
		const revoked = lynkistCredential('lk_sk_test_revoked', sandbox.apiUrl, 'revoked');
		await n8n.importCredentials([revoked]);
		const flow = manualWorkflow('401', [
			lynkistNode('Many', { resource: 'contact', operation: 'getAll', returnAll: true }, revoked, onError),
		]);
		await n8n.importWorkflows([flow]);
		expect((await n8n.run(flow.id)).items('Many')[0]).toMatchObject({
			error: 'Lynkist rejected the API key (invalid or revoked)',
			httpCode: '401',
		});
	});

	it('404: Get, Update and Delete of an unknown contact say which', async () => {
		const byId = { __rl: true, mode: 'id', value: unknownId };
		for (const [operation, extra] of [
			['get', {}],
			['update', { updateFields: { status: 'lead' } }],
			['delete', {}],
		] as const) {
			expect(await runOne(`404 ${operation}`, contact('Op', { operation, contact: byId, ...extra }, onError))).toMatchObject({
				error: `Contact ${unknownId} not found`,
				httpCode: '404',
			});
		}
	});

	it("422: Lynkist's validation detail names the field", async () => {
		await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, {
			kind: 'status',
			method: 'POST',
			path: '/contacts',
			status: 422,
			detail: [{ loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error' }],
		});
		const out = await runOne('422', contact('Create', { operation: 'create', first_name: 'Refused', phone: '+15550400001' }, onError));
		expect(out).toMatchObject({
			error: 'Lynkist could not accept the request: email: value is not a valid email address',
			httpCode: '422',
		});
		expect(await contactsWith({ search: 'Refused' })).toEqual([]);
	});

	it('429: the node waits out the rate limit and the contact is created once', async () => {
		await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, {
			kind: 'status',
			method: 'POST',
			path: '/contacts',
			status: 429,
			times: 2,
			headers: { 'retry-after': '1' },
		});
		const out = await runOne('429', contact('Create', { operation: 'create', first_name: 'Patient', phone: '+15550400002' }));
		expect(out).toMatchObject({ first_name: 'Patient', phone: '+15550400002' });
		expect(await contactsWith({ search: 'Patient' })).toHaveLength(1);
	});
});

describe('upstream errors: nothing lost, nothing twice', () => {
	it('502 on an update: asked again (a PATCH is safe to repeat), changed once', async () => {
		const created = (await (await api('POST', '/contacts', { first_name: 'Flaky', phone: '+15550400003' })).json()) as { id: string };
		await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, { kind: 'status', method: 'PATCH', path: '/contacts/', status: 502 });
		const flow = manualWorkflow('502 update', [
			contact('Update', { operation: 'update', contact: { __rl: true, mode: 'id', value: created.id }, updateFields: { status: 'lead' } }),
		]);
		await n8n.importWorkflows([flow]);
		const before = (await readBack(sandbox, tenant.id, 'requests')).length;
		expect((await n8n.run(flow.id)).items('Update')[0]).toMatchObject({ id: created.id, status: 'lead' });
		expect((await requests(before)).filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([502, 200]);
	});

	it('no Lynkist at the Base URL: the error names the URL and the cause, after the retries', async () => {
		const port = await new Promise<number>((resolve) => {
			const probe = createServer().listen(0, '127.0.0.1', () => {
				const { port: free } = probe.address() as AddressInfo;
				probe.close(() => resolve(free));
			});
		});
		const nowhere = lynkistCredential(tenant.key, `http://127.0.0.1:${port}/api/v1/public`, 'nowhere');
		await n8n.importCredentials([nowhere]);
		const flow = manualWorkflow('nowhere', [
			lynkistNode('Many', { resource: 'contact', operation: 'getAll', returnAll: true }, nowhere, { onError: 'continueRegularOutput' }),
		]);
		await n8n.importWorkflows([flow]);
		expect((await n8n.run(flow.id)).items('Many')[0].error).toBe(
			`Could not reach Lynkist at http://127.0.0.1:${port}/api/v1/public/contacts (ECONNREFUSED)`,
		);
	}, 120_000);

	it('a Create whose answer is lost is not sent again, and says so: one contact exists', async () => {
		await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, { kind: 'lost_response', method: 'POST', path: '/contacts' });
		const flow = manualWorkflow('lost create', [
			contact('Create', { operation: 'create', first_name: 'Unsure', phone: '+15550400004' }, { onError: 'continueRegularOutput' }),
		]);
		await n8n.importWorkflows([flow]);
		expect((await n8n.run(flow.id)).items('Create')[0].error).toMatch(
			/^Lynkist's answer to POST \/contacts was lost \(.+\), so whether it was carried out is not known$/,
		);
		expect(await contactsWith({ phones: ['+15550400004'] })).toHaveLength(1);
	});
});

describe('Send Template with contact options', () => {
	const order = (phone: string, name: string, extra: Record<string, unknown> = {}) => ({
		phone,
		name,
		order: 'A-1',
		total: '9.00',
		...extra,
	});
	const optOut = { optOut: { rule: { field: 'opted_out', value: 'yes' } } };
	const sendsSince = async (before: number) =>
		(await requests(before)).filter((r) => r.method === 'POST' && r.path.endsWith('/messages/template')).map((r) => r.status);
	/** The contact and message requests since `before` (not the template lookups and the trigger-endpoint check). */
	const lynkistCalls = async (before: number) =>
		(await requests(before)).map((r) => `${r.method} ${r.path.split('/public')[1]}`).filter((call) => /\/(contacts|messages)\b/.test(call));
	const messagesTo = async (phone: string) => (await readBack(sandbox, tenant.id, 'messages')).filter((m) => m.to === phone);

	it("Skip Opted-Out Recipients: one search for the run, no message to those who opted out, their items say skipped: 'opted out'", async () => {
		const saved: Record<string, string> = {};
		for (const [phone, custom] of [
			['+15550500001', { opted_out: 'YES' }],
			['+15550500002', { opted_out: 'no' }],
			['+15550500003', {}],
		] as const) {
			const created = await api('POST', '/contacts', { first_name: 'Shopper', phone, custom_fields: custom });
			saved[phone] = ((await created.json()) as { id: string }).id;
		}
		const flow = manualWorkflow('opt-out', [
			people([
				order('+15550500001', 'Out'),
				order('+1 555 050 0002', 'In'),
				order('+15550500003', 'No field'),
				order('+15550500004', 'No contact'),
			]),
			sendTemplateNode(credential, orderTemplateId, { options: optOut }),
		]);
		await n8n.importWorkflows([flow]);
		const before = (await readBack(sandbox, tenant.id, 'requests')).length;
		const run = await n8n.run(flow.id);
		const out = run.items('Send');
		expect(run.runs('Send')[0].hints?.map((h: { message: string }) => h.message)).toEqual([
			`1 of 4 recipients were not messaged: their Lynkist contact's "opted_out" says they opted out. Their items are marked skipped: 'opted out'.`,
		]);
		expect(out[0]).toEqual({
			messageId: null,
			status: 'skipped',
			skipped: 'opted out',
			to: '+15550500001',
			templateName: 'order_confirmation',
			language: 'en_US',
			contactId: saved['+15550500001'],
			optOutField: 'opted_out',
		});
		expect(out.slice(1).map((o) => [o.status, o.to, o.contactId])).toEqual([
			['accepted', '+15550500002', saved['+15550500002']],
			['accepted', '+15550500003', saved['+15550500003']],
			['accepted', '+15550500004', null],
		]);
		expect(await lynkistCalls(before)).toEqual(['POST /contacts/search', ...Array(3).fill('POST /messages/template')]);
		expect(await messagesTo('+15550500001')).toEqual([]);
	});

	it('Create or Update Contact: new contacts created and existing ones updated in one bulk request before the sends, their other custom fields kept; a first name missing for a new contact fails only that item', async () => {
		const existing = await api('POST', '/contacts', { first_name: 'Lin', phone: '+15550600001', custom_fields: { source: 'dashboard' } });
		const linId = ((await existing.json()) as { id: string }).id;
		const flow = manualWorkflow('save contact', [
			people([
				order('+15550600001', 'Lin', { first: 'Lin', optedOut: 'no', order: 'B-1' }),
				order('+15550600002', 'Mo', { first: 'Mo', optedOut: 'no', order: 'B-2' }),
				order('+15550600003', 'Kim', { first: 'Kim', optedOut: 'yes', order: 'B-3' }),
				order('+15550600004', 'there', { first: '', optedOut: 'no', order: 'B-4' }),
			]),
			sendTemplateNode(
				credential,
				orderTemplateId,
				{
					saveContact: true,
					contactFields: {
						first_name: '={{ $json.first }}',
						tags: 'customer',
						custom_fields: {
							field: [
								{ key: 'last_order', value: '={{ $json.order }}' },
								{ key: 'opted_out', value: '={{ $json.optedOut }}' },
							],
						},
					},
					options: optOut,
				},
				{ onError: 'continueRegularOutput' },
			),
		]);
		await n8n.importWorkflows([flow]);
		const before = (await readBack(sandbox, tenant.id, 'requests')).length;
		const out = (await n8n.run(flow.id)).items('Send');
		expect(out.slice(0, 3).map((o) => [o.status, o.to])).toEqual([
			['accepted', '+15550600001'],
			['accepted', '+15550600002'],
			['skipped', '+15550600003'],
		]);
		expect(out[0].contactId).toBe(linId);
		expect(out[3]).toMatchObject({
			error: '"Contact Fields → First Name" of item 4 is empty, and +15550600004 has no contact in Lynkist yet',
		});
		expect(await lynkistCalls(before)).toEqual([
			'POST /contacts/search',
			'POST /contacts/bulk',
			'POST /messages/template',
			'POST /messages/template',
		]);
		const byPhone = new Map(
			(await contactsWith({ phones: ['+15550600001', '+15550600002', '+15550600003', '+15550600004'] })).map((c) => [c.phone, c]),
		);
		expect(byPhone.get('+15550600001')).toMatchObject({
			id: linId,
			first_name: 'Lin',
			tags: ['customer'],
			custom_fields: { source: 'dashboard', last_order: 'B-1', opted_out: 'no' },
		});
		expect(byPhone.get('+15550600002')).toMatchObject({ first_name: 'Mo', custom_fields: { last_order: 'B-2', opted_out: 'no' } });
		expect(byPhone.get('+15550600003')).toMatchObject({ first_name: 'Kim', custom_fields: { opted_out: 'yes' } });
		expect(byPhone.has('+15550600004')).toBe(false);
		expect(await messagesTo('+15550600003')).toEqual([]);
		expect(await messagesTo('+15550600004')).toEqual([]);
		expect(await sendsSince(before)).toEqual([200, 200]);
	});

	it('Validate Only: the skip is shown and the contacts are looked up, but nothing is saved or sent', async () => {
		const flow = manualWorkflow('validate with contact options', [
			people([order('+15550500001', 'Out'), order('+15550800001', 'New')]),
			sendTemplateNode(credential, orderTemplateId, {
				saveContact: true,
				contactFields: { first_name: '={{ $json.name }}' },
				options: { ...optOut, validateOnly: true },
			}),
		]);
		await n8n.importWorkflows([flow]);
		const before = (await readBack(sandbox, tenant.id, 'requests')).length;
		const out = (await n8n.run(flow.id)).items('Send');
		expect(out.map((o) => [o.validateOnly, o.status, o.to ?? o.request?.body?.to, o.contactId])).toEqual([
			[true, 'skipped', '+15550500001', expect.any(String)],
			[true, undefined, '+15550800001', null],
		]);
		expect(await lynkistCalls(before)).toEqual(['POST /contacts/search']);
	});

	it('On Error → Stop: a new number without a first name stops the run before any contact is saved or anyone messaged', async () => {
		const flow = manualWorkflow('save contact, stop', [
			people([order('+15550600011', 'Named', { first: 'Named' }), order('+15550600012', 'there', { first: '' })]),
			sendTemplateNode(credential, orderTemplateId, { saveContact: true, contactFields: { first_name: '={{ $json.first }}' } }),
		]);
		await n8n.importWorkflows([flow]);
		const before = (await readBack(sandbox, tenant.id, 'requests')).length;
		const run = await n8n.run(flow.id);
		expect(run.error('Send')?.message).toBe(
			'"Contact Fields → First Name" of item 2 is empty, and +15550600012 has no contact in Lynkist yet',
		);
		expect(await lynkistCalls(before)).toEqual(['POST /contacts/search']);
	});

	it('250 recipients, 25 of them opted out: three searches, 225 sends, 25 skipped', async () => {
		const phone = (i: number) => `+1555071${String(1000 + i)}`;
		const bulk = await api('POST', '/contacts/bulk', {
			contacts: Array.from({ length: 250 }, (_, i) => ({
				first_name: `C${i}`,
				phone: phone(i),
				custom_fields: { opted_out: i % 10 ? 'no' : 'yes' },
			})),
		});
		expect(bulk.status).toBe(200);
		const flow = manualWorkflow('opt-out at scale', [
			codeNode(
				'People',
				`return Array.from({ length: 250 }, (_, i) => ({ json: { phone: '+1555071' + String(1000 + i), name: 'C' + i, order: 'S-' + i, total: '1.00' } }));`,
			),
			sendTemplateNode(credential, orderTemplateId, { options: optOut }),
		]);
		await n8n.importWorkflows([flow]);
		const before = (await readBack(sandbox, tenant.id, 'requests')).length;
		const out = (await n8n.run(flow.id)).items('Send');
		expect(out.filter((o) => o.skipped === 'opted out').map((o) => o.to)).toEqual(Array.from({ length: 25 }, (_, k) => phone(k * 10)));
		const seen = (await requests(before)).map((r) => `${r.method} ${r.path.split('/public')[1]}`);
		expect(seen.filter((p) => p === 'POST /contacts/search')).toHaveLength(3);
		expect(seen.filter((p) => p === 'POST /messages/template')).toHaveLength(225);
		expect(seen.slice(0, 3)).toEqual(Array(3).fill('POST /contacts/search'));
	}, 120_000);

	it('a key without contacts:read: the run stops before any message, naming the scope', async () => {
		const key = await createKey(sandbox, tenant.id, ['messages:send', 'templates:read']);
		const sendOnly = lynkistCredential(key, sandbox.apiUrl, 'send only');
		await n8n.importCredentials([sendOnly]);
		const flow = manualWorkflow('opt-out without contacts:read', [
			people([order('+15550700001', 'A'), order('+15550700002', 'B')]),
			sendTemplateNode(sendOnly, orderTemplateId, { options: optOut }),
		]);
		await n8n.importWorkflows([flow]);
		const before = (await readBack(sandbox, tenant.id, 'requests')).length;
		const run = await n8n.run(flow.id);
		expect(run.error('Send')?.message).toBe('The Lynkist API key is missing the scope contacts:read');
		expect(await sendsSince(before)).toEqual([]);
	});
});

describe('what a sync must never lose or get wrong', () => {
	const onError = { onError: 'continueRegularOutput' as const };
	const newPeople = (prefix: string) => [
		{ phone: `${prefix}01`, name: 'Ann', tags: 'shop', optedOut: 'no' },
		{ phone: `${prefix}02`, name: 'Bob', tags: 'shop', optedOut: 'yes' },
	];
	const run = async (name: string, nodes: Parameters<typeof manualWorkflow>[1]) => {
		const flow = manualWorkflow(name, nodes);
		await n8n.importWorkflows([flow]);
		return n8n.run(flow.id);
	};
	const contactOf = async (phone: string) => (await contactsWith({ phones: [phone] }))[0];

	it('Create or Update, On Error → Continue, with a key without contacts:write: every item fails naming the scope, none passes as saved', async () => {
		const readOnly = lynkistCredential(await createKey(sandbox, tenant.id, ['contacts:read']), sandbox.apiUrl, 'contacts:read, sync');
		await n8n.importCredentials([readOnly]);
		const sync = (extra: object) => lynkistNode('Sync', { resource: 'contact', ...upsertParams }, readOnly, extra);
		const regular = (await run('sync without contacts:write', [people(newPeople('+155501009')), sync(onError)])).items('Sync');
		expect(regular).toHaveLength(2);
		for (const item of regular) {
			expect(item).toMatchObject({ error: 'The Lynkist API key is missing the scope contacts:write', httpCode: '403' });
			expect(item.id).toBeUndefined();
		}
		const split = await run('sync without contacts:write, error output', [
			people(newPeople('+155501009')),
			sync({ onError: 'continueErrorOutput' }),
		]);
		expect(split.items('Sync', 0)).toEqual([]);
		expect(split.items('Sync', 1).map((i) => i.error)).toEqual(Array(2).fill('The Lynkist API key is missing the scope contacts:write'));
		const stopped = await run('sync without contacts:write, stop', [people(newPeople('+155501009')), sync({})]);
		expect(stopped.error('Sync')).toMatchObject({
			message: 'The Lynkist API key is missing the scope contacts:write',
			description: expect.stringMatching(/No contact was saved\.$/),
		});
		expect(await contactsWith({ phones: ['+15550100901', '+15550100902'] })).toEqual([]);
	});

	it('a bulk save Lynkist still fails after the retries (502): every item fails with it, none passes as saved', async () => {
		await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, {
			kind: 'status',
			method: 'POST',
			path: '/contacts/bulk',
			status: 502,
			times: 20,
		});
		const out = (await run('sync during an outage', [people(newPeople('+155501008')), contact('Sync', upsertParams, onError)])).items(
			'Sync',
		);
		await control(sandbox, 'DELETE', `/tenants/${tenant.id}/faults`);
		expect(out.map((i) => i.error)).toEqual(Array(2).fill(expect.stringMatching(/^Lynkist or WhatsApp had an upstream problem \(502\)/)));
		expect(await contactsWith({ phones: ['+15550100801', '+15550100802'] })).toEqual([]);
	});

	it('"+44 (0)20 7946 0403" is saved and messaged as +44 20 7946 0403; "+44 020 7946 0403" fails its item, naming item and field, and nothing is saved or sent', async () => {
		const uk = [
			{ phone: '+44 (0)20 7946 0403', name: 'Brit', order: 'UK-1', total: '1.00' },
			{ phone: '+44 020 7946 0404', name: 'Typo', order: 'UK-2', total: '1.00' },
		];
		const saved = (await run('uk numbers, sync', [people(uk), contact('Sync', upsertParams, onError)])).items('Sync');
		expect(saved[0]).toMatchObject({ phone: '+442079460403', action: 'created' });
		expect(saved[1].error).toBe(
			'"Phone" of item 2 "+44 020 7946 0404" has a 0 right after the country code +44: that 0 is dialled only inside the country, leave it out (e.g. +44 2079460404)',
		);
		const sent = (await run('uk numbers, send', [people(uk), sendTemplateNode(credential, orderTemplateId, {}, onError)])).items('Send');
		expect(sent[0]).toMatchObject({ status: 'accepted', to: '+442079460403' });
		expect(sent[1].error).toMatch(/^"To" of item 2 "\+44 020 7946 0404" has a 0 right after the country code \+44/);
		const messages = await readBack(sandbox, tenant.id, 'messages');
		expect(messages.filter((m) => m.to.startsWith('+44')).map((m) => m.to)).toEqual(['+442079460403']);
		expect(await contactsWith({ phones: ['+4402079460404', '+442079460404'] })).toEqual([]);
	});

	it("tags are added to the contact's by default, and replace them when asked", async () => {
		const created = await api('POST', '/contacts', { first_name: 'Vera', phone: '+15550100701', tags: ['vip'] });
		expect(created.status).toBe(201);
		const customer = [{ phone: '+1 555 010 0701', name: 'Vera', order: 'T-1', total: '1.00' }];
		await run('send adds a tag', [
			people(customer),
			sendTemplateNode(credential, orderTemplateId, { saveContact: true, contactFields: { tags: 'customer' } }),
		]);
		expect((await contactOf('+15550100701')).tags).toEqual(['vip', 'customer']);
		await run('sync replaces the tags', [
			people(customer),
			contact('Sync', { operation: 'upsert', phone: '={{ $json.phone }}', additionalFields: { tags: 'customer', tags_mode: 'replace' } }),
		]);
		expect((await contactOf('+15550100701')).tags).toEqual(['customer']);
	});

	it('an empty mapped opt-out keeps the one recorded in Lynkist, and the customer is not messaged; Clear empties it when asked', async () => {
		await api('POST', '/contacts', { first_name: 'Olga', phone: '+15550100601', custom_fields: { opted_out: 'true', tier: 'gold' } });
		const row = [{ phone: '+15550100601', name: 'Olga', tags: '', optedOut: '', order: 'E-1', total: '1.00' }];
		const synced = (await run('sync with an empty opt-out column', [people(row), contact('Sync', upsertParams)])).items('Sync');
		expect(synced[0].custom_fields).toEqual({ opted_out: 'true', tier: 'gold' });
		const before = (await readBack(sandbox, tenant.id, 'messages')).length;
		const sent = (
			await run('send after the sync', [
				people(row),
				sendTemplateNode(credential, orderTemplateId, { options: { optOut: { rule: { field: 'opted_out', value: 'true' } } } }),
			])
		).items('Send');
		expect(sent[0]).toMatchObject({ status: 'skipped', skipped: 'opted out' });
		expect(await readBack(sandbox, tenant.id, 'messages')).toHaveLength(before);
		const clearing = { ...upsertParams, additionalFields: { ...upsertParams.additionalFields, empty_custom_fields: 'clear' } };
		const cleared = (await run('sync that clears empty values', [people(row), contact('Sync', clearing)])).items('Sync');
		expect(cleared[0].custom_fields).toEqual({ opted_out: '', tier: 'gold' });
	});
});

describe('against a Lynkist that has only what its docs show (no search or bulk body)', () => {
	let docs: { id: string; key: string };
	let docsCredential: ReturnType<typeof lynkistCredential>;
	let templateId: string;
	const calls = async (before: number) =>
		(await readBack(sandbox, docs.id, 'requests'))
			.slice(before)
			.map(
				(r) =>
					`${r.method} ${r.path
						.split('/public')[1]
						.replace(/[0-9a-f-]{36}/, '{id}')
						.replace(/\?.*/, '')} ${r.status}`,
			)
			.filter((call) => call.includes('/contacts'));

	beforeAll(async () => {
		docs = await createTenant(sandbox, { docs_only: true, limits: { per_minute: 100_000, per_day: 1_000_000 } });
		docsCredential = lynkistCredential(docs.key, sandbox.apiUrl, 'docs-only Lynkist');
		templateId = (await seedTemplate(sandbox, docs.id)).id;
		await n8n.importCredentials([docsCredential]);
	});

	it('Create or Update finds contacts in the whole list and saves them one by one; run again, the same contacts updated, a field set in Lynkist kept', async () => {
		const sync = lynkistNode('Sync', { resource: 'contact', ...upsertParams }, docsCredential);
		const flow = manualWorkflow('docs-only sync', [people(SHOP), sync]);
		await n8n.importWorkflows([flow]);
		let before = (await readBack(sandbox, docs.id, 'requests')).length;
		const first = (await n8n.run(flow.id)).items('Sync');
		expect(first.map((c) => [c.action, c.phone])).toEqual([
			['created', '+15550100001'],
			['created', '+15550100002'],
			['created', '+442079460003'],
		]);
		const seen = await calls(before);
		expect(seen.slice(0, 3)).toEqual(['POST /contacts/search 404', 'GET /contacts 200', 'POST /contacts/bulk 404']);
		expect(seen.slice(3).sort()).toEqual(Array(3).fill('POST /contacts 201'));
		const dashboard = { method: 'PATCH', headers: { authorization: `Bearer ${docs.key}`, 'content-type': 'application/json' } };
		await fetch(`${sandbox.apiUrl}/contacts/${first[0].id}`, {
			...dashboard,
			body: JSON.stringify({ custom_fields: { opted_out: 'no', source: 'dashboard' } }),
		});
		before = (await readBack(sandbox, docs.id, 'requests')).length;
		const again = (await n8n.run(flow.id)).items('Sync');
		expect(again.map((c) => [c.action, c.id])).toEqual(first.map((c) => ['updated', c.id]));
		expect(again[0].custom_fields).toEqual({ opted_out: 'no', source: 'dashboard' });
		expect((await calls(before)).filter((c) => c.startsWith('GET /contacts'))).toEqual(['GET /contacts 200']);
	});

	it('Send Template skips an opted-out recipient found in the whole list', async () => {
		const flow = manualWorkflow('docs-only opt-out', [
			people([
				{ phone: '+1 555 010 0002', name: 'Grace', order: 'D-1', total: '1.00' },
				{ phone: '+15550100001', name: 'Ada', order: 'D-2', total: '1.00' },
			]),
			sendTemplateNode(docsCredential, templateId, { options: { optOut: { rule: { field: 'opted_out', value: 'yes' } } } }),
		]);
		await n8n.importWorkflows([flow]);
		const out = (await n8n.run(flow.id)).items('Send');
		expect(out.map((o) => [o.to, o.status, o.replayed])).toEqual([
			['+15550100002', 'skipped', undefined],
			['+15550100001', 'accepted', null],
		]);
		expect((await readBack(sandbox, docs.id, 'messages')).map((m) => m.to)).toEqual(['+15550100001']);
	});
});
