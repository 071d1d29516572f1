/**
 * The example workflows as shipped in examples/, imported into a real n8n against the sandbox's
 * demo tenant (whose templates they pick by ID), and run the way their users run them: a shop
 * posting its order webhook or its customer list, an app asking for a login code, a failed
 * message alerting the team, a customer tapping an answer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { createN8n, N8n, replyEndpointsSaved, WorkflowJson } from './harness';
import { Chat, startChat } from './harness/chat';
import { Model, startModel } from './harness/model';
import { control, readBack, Sandbox, startSandbox } from './harness/sandbox';
import { DEMO_KEY, DEMO_TENANT_ID } from '../../sandbox';

const EXAMPLES = resolve(__dirname, '../../examples');
const FAILING = '+15550100666';

let sandbox: Sandbox;
let n8n: N8n;
let chat: Chat;
let model: Model;

const example = (file: string): WorkflowJson => JSON.parse(readFileSync(resolve(EXAMPLES, file), 'utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(path: string, body: unknown) {
	const response = await fetch(`${n8n.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json()) as Record<string, any> };
}

/** Lynkist's public API as the demo workspace's key calls it; → the JSON answer. */
const api = (method: string, path: string, body?: unknown) =>
	fetch(`${sandbox.apiUrl}${path}`, {
		method,
		headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	}).then((r) => r.json() as Promise<Record<string, any>>);

const messagesTo = async (to: string) => (await readBack(sandbox, DEMO_TENANT_ID, 'messages')).filter((m) => m.to === to);

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	chat = await startChat();
	model = await startModel();

	const tracking = example('delivery-tracking.json');
	const alert = tracking.nodes.find((n) => n.name === 'Alert the team')!;
	// what a user does before turning it on: paste the team chat's webhook URL
	alert.parameters.url = chat.url;

	n8n = createN8n();
	await n8n.importCredentials([
		{ id: 'lynkistSandbox01', name: 'Lynkist sandbox', type: 'lynkistApi', data: { apiKey: DEMO_KEY, baseUrl: sandbox.apiUrl } },
		// what a user does before turning the agent example on: give the OpenAI credential a key (here, the scripted model's URL)
		{ id: 'openAiExample01', name: 'OpenAI', type: 'openAiApi', data: { apiKey: 'sk-scripted', url: model.url } },
	]);
	const shipped = readdirSync(EXAMPLES)
		.filter((f) => f.endsWith('.json') && f !== 'delivery-tracking.json')
		.map(example);
	await n8n.importWorkflows([...shipped, tracking]);
	await n8n.publish([
		'lynkistSendOrd01',
		'lynkistLoginCd01',
		'lynkistAskAppt01',
		'lynkistSyncSale01',
		'lynkistOptOuts01',
		'lynkistOrderAi01',
		tracking.id,
	]);
	await n8n.start();
	await n8n.setupOwner();
	// n8n registers the endpoints (two triggers, Send and Wait's replies) and the webhooks just after its editor is up
	const endpoints = async () => (await control(sandbox, 'GET', `/tenants/${DEMO_TENANT_ID}/webhooks`)).data;
	for (const deadline = Date.now() + 30_000; (await endpoints()).length < 3 && Date.now() < deadline;) await sleep(250);
	await replyEndpointsSaved(n8n, ['lynkistAskAppt01']);
	for (const path of ['order-paid', 'login-code', 'appointment-booked', 'shop-customers', 'order-question']) {
		for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
			if ((await fetch(`${n8n.url}/webhook/${path}`).then((r) => r.text())).includes('Did you mean to make a POST request')) break;
		}
	}
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
	chat?.close();
	model?.close();
});

it('order confirmation: the shop posts a paid order, the customer gets one message, a repost of the same order none', async () => {
	const order = { order_id: 'ORD-2001', total: '₹1,499', customer: { first_name: 'Anurag', phone: '+91 98765-43210' } };
	const first = await post('order-paid', order);
	expect(first).toMatchObject({
		status: 200,
		json: { status: 'accepted', to: '+919876543210', replayed: false, customIdempotencyKey: 'ORD-2001' },
	});
	const again = await post('order-paid', order);
	expect(again.json).toMatchObject({ replayed: true, messageId: first.json.messageId });

	const messages = await messagesTo('+919876543210');
	expect(messages).toHaveLength(1);
	const body = messages[0].components.find((c: { type: string }) => c.type === 'body');
	expect(body.parameters.map((p: { text: string }) => p.text)).toEqual(['Anurag', 'ORD-2001', '₹1,499']);
});

it('login code: the code goes in the body and in the copy-code button, where WhatsApp expects it', async () => {
	const sent = await post('login-code', { phone: '+44 7700 900123', code: '482913', request_id: 'login-7f3a' });
	expect(sent).toMatchObject({ status: 200, json: { status: 'accepted', templateName: 'login_code' } });
	const [message] = await messagesTo('+447700900123');
	expect(message.template_name).toBe('login_code');
	expect(message.components).toEqual([
		{ type: 'body', parameters: [{ type: 'text', text: '482913' }] },
		{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
	]);
});

it('delivery tracking: a message that fails alerts the team once, with the number and the error', async () => {
	await control(sandbox, 'PATCH', `/tenants/${DEMO_TENANT_ID}`, { failing_numbers: [FAILING] });
	const order = { order_id: 'ORD-2002', total: '$24.00', customer: { first_name: 'Ada', phone: FAILING } };
	expect((await post('order-paid', order)).json).toMatchObject({ status: 'accepted' });
	for (const deadline = Date.now() + 30_000; chat.received.length === 0 && Date.now() < deadline;) await sleep(250);
	await sleep(2000);
	expect(chat.received).toHaveLength(1);
	expect(chat.received[0].text).toMatch(
		new RegExp(`^WhatsApp message to \\${FAILING} failed: \\d+ .+\\(template order_confirmation, message wamid\\.`),
	);
});

it('appointment confirmation: the customer taps a button in WhatsApp, and the workflow goes on down that answer', async () => {
	const asked = async (phone: string) => {
		const before = new Set((await n8n.executions('lynkistAskAppt01')).map((e) => e.id));
		expect((await post('appointment-booked', { phone, name: 'Ada', slot: 'Monday 10:00' })).status).toBe(200);
		for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
			const waiting = (await n8n.executions('lynkistAskAppt01')).find((e) => !before.has(e.id) && e.status === 'waiting');
			if (waiting) return waiting.id as string;
		}
		throw new Error('the appointment execution did not start waiting');
	};
	const answer = async (phone: string, button: number) => {
		const executionId = await asked(phone);
		const [question] = await messagesTo(phone.replace(/[^\d+]/g, ''));
		const text = question.components.find((c: { type: string }) => c.type === 'body').parameters.map((p: { text: string }) => p.text);
		expect(text).toEqual(['Ada', 'Monday 10:00']);
		await control(sandbox, 'POST', `/tenants/${DEMO_TENANT_ID}/messages/${question.message_id}/reply`, { button });
		const done = await n8n.waitForExecution(executionId, 30_000);
		return Object.keys(done.runData).filter(
			(name) => !['Appointment booked', 'Ask the customer to confirm', 'Their answer'].includes(name),
		);
	};
	expect(await answer('+1 (555) 010-0142', 0)).toEqual(['Confirmed: keep the slot']);
	expect(await answer('+1 (555) 010-0143', 1)).toEqual(['Offer another time']);
});

it('customer sync: the shop posts its customers, all are saved as Lynkist contacts, and the sale goes only to those who did not opt out', async () => {
	// a customer who asked to stop earlier, recorded on their Lynkist contact
	const stopped = await api('POST', '/contacts', { first_name: 'Grace', phone: '+15550900002', custom_fields: { opted_out: 'true' } });
	const customers = [
		{ id: 'c-1', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone: '+1 555 090 0001' },
		{ id: 'c-2', first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', phone: '+1 555 090 0002' },
		{ id: 'c-3', first_name: 'Alan', last_name: 'Turing', email: 'alan@example.com', phone: '+1 555 090 0003' },
	];
	const { status, json } = await post('shop-customers', { customers });
	expect(status).toBe(200);
	const results = json as unknown as Array<Record<string, any>>;
	expect(results.map((r) => [r.to, r.status, r.skipped])).toEqual([
		['+15550900001', 'accepted', undefined],
		['+15550900002', 'skipped', 'opted out'],
		['+15550900003', 'accepted', undefined],
	]);
	expect(await messagesTo('+15550900002')).toEqual([]);
	const [ada] = await messagesTo('+15550900001');
	expect(ada.template_name).toBe('promo_banner');
	const contacts = (await api('POST', '/contacts/search', { phones: ['+15550900001', '+15550900002', '+15550900003'] })).data;
	expect(contacts.map((c: Record<string, any>) => [c.first_name, c.last_name, c.tags, c.custom_fields])).toEqual([
		['Grace', 'Hopper', ['shop'], { opted_out: 'true', shop_customer_id: 'c-2' }],
		['Ada', 'Lovelace', ['shop'], { shop_customer_id: 'c-1' }],
		['Alan', 'Turing', ['shop'], { shop_customer_id: 'c-3' }],
	]);
	expect(contacts[0].id).toBe(stopped.id);

	// the shop posts the list again: nobody is messaged twice, nobody saved twice
	const again = (await post('shop-customers', { customers })).json as unknown as Array<Record<string, any>>;
	expect(again.map((r) => [r.status, r.replayed])).toEqual([
		['accepted', true],
		['skipped', undefined],
		['accepted', true],
	]);
	expect(await messagesTo('+15550900001')).toHaveLength(1);
	expect((await api('POST', '/contacts/search', { phones: ['+15550900001', '+15550900002', '+15550900003'] })).data).toHaveLength(3);
});

it('opt-outs: a customer who writes STOP is marked opted out, a number Lynkist does not know is added opted out', async () => {
	const known = '+15550910001';
	const unknown = '+15550910002';
	await api('POST', '/contacts', { first_name: 'Ada', phone: known, custom_fields: { shop_customer_id: 'c-9' } });
	const before = (await n8n.executions('lynkistOptOuts01')).length;
	const write = (from: string, text: string) => control(sandbox, 'POST', `/tenants/${DEMO_TENANT_ID}/inbound`, { from, text });
	await write(known, 'hello, where is my order?');
	await write(known, ' Stop ');
	await write(unknown, 'STOP');
	// watched in n8n, not in Lynkist: the demo key's 60 requests a minute are the workflow's
	for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
		const runs = await n8n.executions('lynkistOptOuts01');
		if (runs.length >= before + 3 && runs.every((e) => e.status !== 'running' && e.status !== 'new')) break;
	}
	const contactsOf = async () => (await api('POST', '/contacts/search', { phones: [known, unknown] })).data as Array<Record<string, any>>;
	expect((await contactsOf()).map((c) => [c.phone, c.first_name, c.tags, c.custom_fields])).toEqual([
		[known, 'Ada', [], { shop_customer_id: 'c-9', opted_out: 'true' }],
		[unknown, unknown, ['whatsapp'], { opted_out: 'true' }],
	]);
	// every message the demo number received started it (the appointment answers too); none failed
	const runs = await n8n.executions('lynkistOptOuts01');
	expect(runs.length).toBeGreaterThanOrEqual(3);
	expect(runs.filter((e) => e.status !== 'success')).toEqual([]);
});

it('order question agent: the agent answers, and sends the shipped order its status once — asked again, it is not sent twice', async () => {
	const question = {
		question: 'Where is my order?',
		customer: { first_name: 'Ada', phone: '+1 555 010 0777' },
		order: { id: 'ORD-3001', status: 'shipped', carrier: 'DHL' },
	};
	const status = { toolCalls: [{ name: 'Send_order_status', args: { phone: '+15550100777', first_name: 'Ada', order_id: 'ORD-3001' } }] };
	const answer = { answer: 'Your order ORD-3001 has shipped with DHL; I sent you its status on WhatsApp.' };
	for (let asked = 1; asked <= 2; asked++) {
		model.script([status, answer]);
		const reply = await post('order-question', question);
		expect(reply).toEqual({ status: 200, json: { output: answer.answer } });
		const prompt = JSON.stringify(model.requests.at(-2)?.messages);
		expect(prompt).toContain('Where is my order?');
		expect(prompt).toContain('+1 555 010 0777');
		const result = model.toolResults()[0];
		expect(result).toContain(`"replayed":${asked === 2}`);
	}
	const sent = await messagesTo('+15550100777');
	expect(sent).toHaveLength(1);
	expect(sent[0].template_name).toBe('shipping_update');
	expect(sent[0].components).toEqual([
		{
			type: 'body',
			parameters: [
				{ type: 'text', text: 'Ada' },
				{ type: 'text', text: 'ORD-3001' },
			],
		},
	]);
});
