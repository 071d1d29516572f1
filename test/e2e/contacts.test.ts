/**
 * The Contact resource in real n8n against the sandbox's Contacts API: create, create or update
 * (in bulk, and one by one when Lynkist refuses the bulk body), get, get many, update, delete;
 * bad input stops before any request, naming the item and the field.
 */
import { codeNode, createN8n, lynkistCredential, lynkistNode, manualWorkflow, N8n, WorkflowJson } from './harness';
import { control, createKey, createTenant, readBack, Sandbox, startSandbox } from './harness/sandbox';

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
let credential: ReturnType<typeof lynkistCredential>;
const flows: Record<string, WorkflowJson> = {};

const contact = (name: string, parameters: Record<string, unknown>, extra = {}) =>
	lynkistNode(name, { resource: 'contact', ...parameters }, credential, extra);
const people = (rows: Array<Record<string, unknown>>) => codeNode('People', `return ${JSON.stringify(rows.map((json) => ({ json })))};`);
const requests = async (fromIndex: number) => (await readBack(sandbox, tenant.id, 'requests')).slice(fromIndex);
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
	n8n = createN8n();
	await n8n.importCredentials([credential, readOnly]);
	await n8n.importWorkflows(Object.values(flows));
	await n8n.start();
	await n8n.setupOwner();
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

it('a key without contacts:write: the error names the scope', async () => {
	const run = await n8n.run(flows.readOnly.id);
	expect(run.error('Create')?.message).toBe('The Lynkist API key is missing the scope contacts:write');
});

it('Create or Update: three shop customers in one bulk request; run again, the same three updated, none twice', async () => {
	const before = (await readBack(sandbox, tenant.id, 'requests')).length;
	const first = (await n8n.run(flows.upsert.id)).items('Sync');
	expect(first.map((c) => [c.action, c.first_name, c.phone, c.tags, c.custom_fields])).toEqual([
		['created', 'Ada', '+15550100001', ['vip'], { opted_out: 'no' }],
		['created', 'Grace', '+15550100002', ['vip', 'tech'], { opted_out: 'yes' }],
		['created', 'Alan', '+442079460003', [], { opted_out: 'no' }],
	]);
	expect((await requests(before)).map((r) => `${r.method} ${r.path.split('/public')[1]}`)).toEqual(['POST /contacts/bulk']);
	const again = (await n8n.run(flows.upsert.id)).items('Sync');
	expect(again.map((c) => [c.action, c.id])).toEqual(first.map((c) => ['updated', c.id]));
	expect((await contactsNow()).filter((c) => SHOP.some((s) => s.name === c.first_name))).toHaveLength(3);
});

it('Create or Update when Lynkist refuses the bulk body: one search, then one request per item, the same result', async () => {
	await control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, {
		kind: 'status',
		method: 'POST',
		path: '/contacts/bulk',
		status: 404,
		times: 10,
	});
	await api('DELETE', `/contacts/${(await contactsNow()).find((c) => c.first_name === 'Alan')!.id}`);
	const before = (await readBack(sandbox, tenant.id, 'requests')).length;
	const out = (await n8n.run(flows.upsert.id)).items('Sync');
	expect(out.map((c) => [c.action, c.first_name])).toEqual([
		['updated', 'Ada'],
		['updated', 'Grace'],
		['created', 'Alan'],
	]);
	expect(
		(await requests(before)).map((r) => `${r.method} ${r.path.split('/public')[1].replace(/[0-9a-f-]{36}/, '{id}')} ${r.status}`),
	).toEqual([
		'POST /contacts/bulk 404',
		'POST /contacts/search 200',
		'PATCH /contacts/{id} 200',
		'PATCH /contacts/{id} 200',
		'POST /contacts 201',
	]);
	await control(sandbox, 'DELETE', `/tenants/${tenant.id}/faults`);
});

it('a thousand customers: two bulk requests; where Lynkist refuses them, ten searches of 100 phones and one request per item', async () => {
	const paths = (list: Array<Record<string, any>>) =>
		list.map((r) => `${r.method} ${r.path.split('/public')[1].replace(/[0-9a-f-]{36}/, '{id}')}`);
	let before = (await readBack(sandbox, tenant.id, 'requests')).length;
	const first = (await n8n.run(flows.thousand.id)).items('Sync');
	expect(first.filter((c) => c.action === 'created')).toHaveLength(1000);
	expect(paths(await requests(before))).toEqual(['POST /contacts/bulk', 'POST /contacts/bulk']);

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
		custom_fields: { opted_out: 'yes' },
	});
	const after = await n8n.run(gone.id);
	expect(after.items('Delete')).toEqual([{ id: ada.id, deleted: true }]);
	expect(after.items('Get')[0]).toMatchObject({ error: `Contact ${ada.id} not found`, httpCode: '404' });
});
