/**
 * The Lynkist node as a tool of n8n's AI Agent, in a running n8n, with a scripted chat model on
 * loopback playing the model: what the agent sends is what the script says the model chose.
 */
import { randomUUID } from 'node:crypto';

import { lynkistCredential, lynkistNode, N8n, node, startN8n, WorkflowJson } from './harness';
import { Model, startModel } from './harness/model';
import { createTenant, readBack, Sandbox, seedTemplate, startSandbox } from './harness/sandbox';

let sandbox: Sandbox;
let model: Model;
let n8n: N8n;
let tenant: { id: string; key: string };
let agent: WorkflowJson;

/** The number, as both tools let the model give it. */
const TO = "={{ $fromAI('to', 'The customer phone number, with country code', 'string') }}";

function agentWorkflow(name: string, credential: { id: string; name: string }, openAi: { id: string; name: string }): WorkflowJson {
	const trigger = node('Start', 'n8n-nodes-base.manualTrigger', {});
	const brain = {
		...node(
			'Agent',
			'@n8n/n8n-nodes-langchain.agent',
			{ promptType: 'define', text: 'Tell the customer +1 555 050 0001 that order ORD-1 has shipped.', options: {} },
			3.1,
		),
	};
	const chatModel = {
		...node(
			'Model',
			'@n8n/n8n-nodes-langchain.lmChatOpenAi',
			{ model: { __rl: true, mode: 'id', value: 'scripted' }, responsesApiEnabled: false, options: {} },
			1.3,
		),
		credentials: { openAiApi: openAi },
	};
	const tool = lynkistNode(
		'Send order status',
		{
			resource: 'message',
			operation: 'sendTemplate',
			to: TO,
			template: { __rl: true, mode: 'name', value: 'order_confirmation' },
			variablesMode: 'fields',
			variables: {
				mappingMode: 'defineBelow',
				value: {
					header_1: "={{ $fromAI('order', 'The order number', 'string') }}",
					body_1: "={{ $fromAI('name', 'The customer name', 'string') }}",
					body_2: "={{ $fromAI('order', 'The order number', 'string') }}",
					body_3: "={{ $fromAI('total', 'The order total', 'string') }}",
					button_0_url: "={{ $fromAI('order', 'The order number', 'string') }}",
				},
				matchingColumns: [],
				schema: [],
			},
			options: { optOut: { rule: { field: 'opted_out', value: 'yes' } } },
		},
		credential,
		{ type: 'n8n-nodes-lynkist.lynkistTool' },
	);
	// A second tool whose template the model names: how a wrong name comes back.
	const anyTemplate = lynkistNode(
		'Send a template',
		{
			resource: 'message',
			operation: 'sendTemplate',
			to: TO,
			template: { __rl: true, mode: 'name', value: "={{ $fromAI('template', 'The approved template name', 'string') }}" },
			variablesMode: 'json',
			componentsJson: '[]',
			toolDescription: 'Sends the approved template the customer asked for, by its name.',
		},
		credential,
		{ type: 'n8n-nodes-lynkist.lynkistTool', position: [600, 400] },
	);
	return {
		id: randomUUID().replace(/-/g, '').slice(0, 16),
		name,
		active: false,
		nodes: [trigger, brain, chatModel, tool, anyTemplate],
		connections: {
			Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			Model: { ai_languageModel: [[{ node: 'Agent', type: 'ai_languageModel', index: 0 }]] },
			'Send order status': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
			'Send a template': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowJson;
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	model = await startModel();
	tenant = await createTenant(sandbox, { lifecycle: { enabled: false } });
	await seedTemplate(sandbox, tenant.id);
	const credential = lynkistCredential(tenant.key, sandbox.apiUrl);
	const openAi = { id: 'openAiScripted01', name: 'Scripted model', type: 'openAiApi', data: { apiKey: 'sk-scripted', url: model.url } };
	agent = agentWorkflow('Agent sends the order status', credential, openAi);
	n8n = await startN8n({ credentials: [credential, openAi], workflows: [agent] });
}, 240_000);

afterAll(async () => {
	await n8n?.dispose();
	model?.close();
	await sandbox?.close();
}, 60_000);

const call = (args: Record<string, unknown>, name = 'Send_order_status') => ({ toolCalls: [{ name, args }] });
const ADA = { to: '+15550500001', name: 'Ada', order: 'ORD-1', total: '42 EUR' };

it('the agent sends an approved template with the variables it filled: the message at Lynkist is exactly that', async () => {
	model.script([call(ADA), { answer: 'Sent.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	const sent = (await readBack(sandbox, tenant.id, 'messages')).filter((m) => m.to === ADA.to);
	expect(sent).toHaveLength(1);
	expect(JSON.stringify(sent[0].components)).toContain('ORD-1');
	expect(JSON.stringify(sent[0].components)).toContain('42 EUR');
	expect(model.toolResults()[0]).toContain(sent[0].message_id);
});

it('the agent repeating the same call sends once: the repeat is answered as replayed', async () => {
	const before = (await readBack(sandbox, tenant.id, 'messages')).length;
	const bob = { ...ADA, to: '+15550500002', name: 'Bob', order: 'ORD-2' };
	model.script([call(bob), call(bob), { answer: 'Sent.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	expect((await readBack(sandbox, tenant.id, 'messages')).slice(before).map((m) => m.to)).toEqual([bob.to]);
	expect(model.toolResults().at(-1)).toContain('"replayed":true');
});

it('a bad call comes back to the agent as a message it can act on, not a failed execution', async () => {
	const before = (await readBack(sandbox, tenant.id, 'messages')).length;
	model.script([call({ to: '5550500003', name: 'Cy', order: 'ORD-3', total: '1 EUR' }), { answer: 'I could not send it.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	expect(model.toolResults().at(-1)).toMatch(/country code/i);
	expect((await readBack(sandbox, tenant.id, 'messages')).length).toBe(before);
});

it("the tool tells the model what it does and what it needs: the operation's description (or the user's) and each $fromAI argument", async () => {
	model.script([{ answer: 'Nothing to do.' }]);
	expect((await n8n.run(agent.id)).raw.status).toBe('success');
	const offered = (model.requests.at(-1)?.tools ?? []).map((t: { function: Record<string, any> }) => t.function);
	const tool = offered.find((f: { name: string }) => f.name === 'Send_order_status');
	expect(tool.description).toMatch(/approved WhatsApp template/);
	expect(tool.description).toMatch(/country code/);
	expect(tool.description).toMatch(/replayed: true/);
	expect(tool.description).toMatch(/skipped means the customer opted out/);
	expect(Object.keys(tool.parameters.properties).sort()).toEqual(['name', 'order', 'to', 'total']);
	expect(tool.parameters.properties.to.description).toBe('The customer phone number, with country code');
	expect(tool.parameters.required.sort()).toEqual(['name', 'order', 'to', 'total']);
	// a description the user wrote replaces the operation's
	expect(offered.find((f: { name: string }) => f.name === 'Send_a_template').description).toBe(
		'Sends the approved template the customer asked for, by its name.',
	);
});

it('an unknown template name comes back to the agent with the approved name it most likely meant; nothing sent', async () => {
	const before = (await readBack(sandbox, tenant.id, 'messages')).length;
	model.script([call({ to: '+15550500004', template: 'order_confirmaton' }, 'Send_a_template'), { answer: 'No such template.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	expect(model.toolResults().at(-1)).toContain(
		'No approved template is named \\"order_confirmaton\\": did you mean \\"order_confirmation\\"?',
	);
	expect((await readBack(sandbox, tenant.id, 'messages')).length).toBe(before);
});

it.each([
	['empty', { ...ADA, to: '+15550500005', total: '' }],
	['left out', { to: '+15550500005', name: 'Eve', order: 'ORD-5' }],
])('a variable %s comes back to the agent naming it; nothing sent', async (_how, args) => {
	const before = (await readBack(sandbox, tenant.id, 'messages')).length;
	model.script([call(args), { answer: 'Missing the total.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	expect(model.toolResults().at(-1)).toContain('\\"Body {{3}}\\" has no value');
	expect((await readBack(sandbox, tenant.id, 'messages')).length).toBe(before);
});

it('an opted-out customer is skipped: the agent is told so, nothing is sent', async () => {
	const created = await fetch(`${sandbox.apiUrl}/contacts`, {
		method: 'POST',
		headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
		body: JSON.stringify({ first_name: 'Out', phone: '+15550500006', custom_fields: { opted_out: 'yes' } }),
	});
	expect(created.status).toBe(201);
	const before = (await readBack(sandbox, tenant.id, 'messages')).length;
	model.script([call({ ...ADA, to: '+15550500006', name: 'Out' }), { answer: 'They opted out.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	expect(model.toolResults().at(-1)).toContain('"skipped":"opted out"');
	expect((await readBack(sandbox, tenant.id, 'messages')).length).toBe(before);
});
