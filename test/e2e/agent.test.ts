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
			to: "={{ $fromAI('to', 'The customer phone number, with country code', 'string') }}",
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
		},
		credential,
		{ type: 'n8n-nodes-lynkist.lynkistTool' },
	);
	return {
		id: randomUUID().replace(/-/g, '').slice(0, 16),
		name,
		active: false,
		nodes: [trigger, brain, chatModel, tool],
		connections: {
			Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			Model: { ai_languageModel: [[{ node: 'Agent', type: 'ai_languageModel', index: 0 }]] },
			'Send order status': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
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

const call = (args: Record<string, unknown>) => ({ toolCalls: [{ name: 'Send_order_status', args }] });
const ADA = { to: '+15550500001', name: 'Ada', order: 'ORD-1', total: '42 EUR' };
/** What the agent got back from the tool in the last model request: the tool messages' contents. */
const toolResults = () =>
	(model.requests.at(-1)?.messages ?? []).filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content);

it('the agent sends an approved template with the variables it filled: the message at Lynkist is exactly that', async () => {
	model.script([call(ADA), { answer: 'Sent.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	const sent = (await readBack(sandbox, tenant.id, 'messages')).filter((m) => m.to === ADA.to);
	expect(sent).toHaveLength(1);
	expect(JSON.stringify(sent[0].components)).toContain('ORD-1');
	expect(JSON.stringify(sent[0].components)).toContain('42 EUR');
	expect(toolResults()[0]).toContain(sent[0].message_id);
});

it('the agent repeating the same call sends once: the repeat is answered as replayed', async () => {
	const before = (await readBack(sandbox, tenant.id, 'messages')).length;
	const bob = { ...ADA, to: '+15550500002', name: 'Bob', order: 'ORD-2' };
	model.script([call(bob), call(bob), { answer: 'Sent.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	expect((await readBack(sandbox, tenant.id, 'messages')).slice(before).map((m) => m.to)).toEqual([bob.to]);
	expect(toolResults().at(-1)).toContain('"replayed":true');
});

it('a bad call comes back to the agent as a message it can act on, not a failed execution', async () => {
	const before = (await readBack(sandbox, tenant.id, 'messages')).length;
	model.script([call({ to: '5550500003', name: 'Cy', order: 'ORD-3', total: '1 EUR' }), { answer: 'I could not send it.' }]);
	const run = await n8n.run(agent.id);
	expect(run.raw.status).toBe('success');
	expect(toolResults().at(-1)).toMatch(/country code/i);
	expect((await readBack(sandbox, tenant.id, 'messages')).length).toBe(before);
});
