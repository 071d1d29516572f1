/**
 * The package inside a real n8n (installed from its packed tarball, as users get it) against the
 * local Lynkist sandbox over real HTTP: the credential test the editor runs, and List Templates.
 */
import { createN8n, lynkistCredential, lynkistNode, manualWorkflow, N8n, WorkflowJson } from './harness';
import { control, createKey, createTenant, Sandbox, startSandbox } from './harness/sandbox';

const TEMPLATE_COUNT = 120;

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
let noScopeCredential: ReturnType<typeof lynkistCredential>;
let workflows: Record<'listAll' | 'listLimit' | 'missingScope' | 'missingScopeContinue', WorkflowJson>;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	tenant = await createTenant(sandbox);
	await control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, { generate: TEMPLATE_COUNT });
	const credential = lynkistCredential(tenant.key, sandbox.apiUrl);
	noScopeCredential = lynkistCredential(await createKey(sandbox, tenant.id, ['messages:send']), sandbox.apiUrl, 'send only');
	const list = (params: Record<string, unknown>, cred = credential, extra = {}) =>
		lynkistNode('List', { resource: 'template', operation: 'getAll', ...params }, cred, extra);
	workflows = {
		listAll: manualWorkflow('list all', [list({ returnAll: true })]),
		listLimit: manualWorkflow('list limit', [list({ returnAll: false, limit: 7 })]),
		missingScope: manualWorkflow('missing scope', [list({}, noScopeCredential)]),
		missingScopeContinue: manualWorkflow('missing scope, continue', [list({}, noScopeCredential, { onError: 'continueRegularOutput' })]),
	};

	n8n = createN8n();
	await n8n.importCredentials([credential, noScopeCredential]);
	await n8n.importWorkflows(Object.values(workflows));
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe('with the n8n CLI', () => {
	it('n8n execute runs List Templates with Return All over every page', async () => {
		const execution = await n8n.execute(workflows.listAll.id);
		const items = execution.items('List');
		expect(items).toHaveLength(TEMPLATE_COUNT);
		expect(new Set(items.map((t) => t.id)).size).toBe(TEMPLATE_COUNT);
		expect(items.every((t) => t.status === 'approved')).toBe(true);
	});
});

describe('in a running n8n', () => {
	beforeAll(async () => {
		await n8n.start();
		await n8n.setupOwner();
	});

	const test = (data: Record<string, unknown>) =>
		n8n.testCredential({ name: 'Lynkist', type: 'lynkistApi', data: { baseUrl: sandbox.apiUrl, ...data } });

	it('the nodes panel finds both nodes by "WhatsApp", and the canvas names operations as people say them', async () => {
		const response = await fetch(`${n8n.url}/types/nodes.json`, { headers: { cookie: n8n.cookie } });
		expect(response.status).toBe(200);
		const types = (await response.json()) as Array<{ name: string; subtitle?: string; codex?: { alias?: string[] } }>;
		const action = types.find((t) => t.name === 'n8n-nodes-lynkist.lynkist');
		const trigger = types.find((t) => t.name === 'n8n-nodes-lynkist.lynkistTrigger');
		expect(action?.codex?.alias).toContain('WhatsApp');
		expect(trigger?.codex?.alias).toContain('WhatsApp');
		expect(action?.subtitle).toContain('sendTemplate: "Send template"');
		expect(trigger?.subtitle).toContain('"On "');
	});

	it('the credential test succeeds with a valid key', async () => {
		expect(await test({ apiKey: tenant.key })).toEqual({ status: 'OK', message: expect.any(String) });
	});

	it('the credential test says a bad key is invalid or revoked', async () => {
		const result = await test({ apiKey: 'lk_sk_test_0000000000000000000000000000000000000000' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rejected the API key \(invalid or revoked\)/);
	});

	it('the credential test names the missing templates:read scope', async () => {
		const result = await test({ apiKey: noScopeCredential.data.apiKey });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/templates:read/);
	});

	it('the credential test names a plan without API access', async () => {
		const noApi = await createTenant(sandbox, { api_enabled: false });
		const result = await test({ apiKey: noApi.key });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/plan has no API access/);
	});

	it('the credential test says when the Base URL is wrong', async () => {
		const result = await test({ apiKey: tenant.key, baseUrl: `${sandbox.url}/api/v2` });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/No Lynkist API answers at this Base URL/);
	});

	it('the credential test names the connection failure when nothing answers at the Base URL', async () => {
		const result = await test({ apiKey: tenant.key, baseUrl: 'http://127.0.0.1:1/api/v1/public' });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('List Templates with Return All returns every approved template, newest first, paired to its input', async () => {
		const execution = await n8n.run(workflows.listAll.id);
		const items = execution.items('List');
		expect(items).toHaveLength(TEMPLATE_COUNT);
		const created = items.map((t) => Date.parse(t.created_at));
		expect(created).toEqual([...created].sort((a, b) => b - a));
		expect(execution.outputItems('List').every((item: any) => item.pairedItem?.item === 0)).toBe(true);
		const pages = (await control(sandbox, 'GET', `/tenants/${tenant.id}/requests`)).data.filter((r: { path: string }) =>
			r.path.endsWith('/templates'),
		);
		expect(pages.length).toBeGreaterThanOrEqual(2);
	});

	it('List Templates with a Limit returns that many, the newest', async () => {
		const [all, limited] = await Promise.all([n8n.run(workflows.listAll.id), n8n.run(workflows.listLimit.id)]);
		expect(limited.items('List').map((t) => t.id)).toEqual(
			all
				.items('List')
				.slice(0, 7)
				.map((t) => t.id),
		);
	});

	it('a key without templates:read fails the node with a message that says what to fix', async () => {
		const execution = await n8n.run(workflows.missingScope.id);
		const error = execution.error('List');
		expect(error?.message).toBe('The Lynkist API key is missing the scope templates:read');
		expect(error?.description).toMatch(/Create a key with templates:read.*The key has: messages:send/);
	});

	it('with continue on fail the same failure becomes an error item', async () => {
		const execution = await n8n.run(workflows.missingScopeContinue.id);
		const items = execution.items('List');
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ error: 'The Lynkist API key is missing the scope templates:read', httpCode: '403' });
	});
});
