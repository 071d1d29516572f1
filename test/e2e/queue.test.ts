/**
 * n8n in queue mode, as self-hosters scale it: Postgres, Redis, a main, two workers and two webhook
 * processors behind a round-robin balancer, each n8n process with the package installed the user
 * way. The shipped examples run on the workers with the results they give on one n8n; the
 * Lynkist Trigger registers from the main and its deliveries start one execution each, whichever
 * webhook processor a redelivery reaches.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { startQueue } from '../../scripts/queue';
import { exampleCredential, exampleWorkflows } from '../../scripts/examples';
import {
	replyEndpointsSaved,
	codeNode,
	lynkistCredential,
	lynkistTriggerNode,
	manualWorkflow,
	node,
	sendTemplateNode,
	TRIGGER,
	triggerWorkflow,
	WorkflowJson,
} from './harness';
import { Chat, startChat } from './harness/chat';
import { control, createTenant, readBack, Sandbox, seedTemplate, startSandbox } from './harness/sandbox';
import { DEMO_TENANT_ID } from '../../sandbox';
// the sandbox's own envelope and signer: the same bytes Lynkist sends
import { envelope, defaultData } from '../../sandbox/events/envelope';
import { sign } from '../../sandbox/events/signing';
import { TRIGGER_ENDPOINT_PREFIX } from '../../nodes/shared/constants';

type Cluster = Awaited<ReturnType<typeof startQueue>>;

const RUNTIME = JSON.parse(readFileSync(resolve(__dirname, '../../.e2e/runtime.json'), 'utf8'));
const FAILING = '+15550100666';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sandbox: Sandbox;
let cluster: Cluster;
let chat: Chat;
let dedupeTenant: { id: string; key: string };
let dedupeWorkflow: WorkflowJson;
let crashTenant: { id: string; key: string };
let crashWorkflow: WorkflowJson;
let hookCrashTenant: { id: string; key: string };
let hookCrashWorkflow: WorkflowJson;
const CRASH_HOOK = 'crash-orders';
const CRASH_ITEMS = 200;

async function post(path: string, body: unknown) {
	const response = await fetch(`${cluster.webhookUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json()) as Record<string, any> };
}

const endpointsOf = async (tenantId: string) => (await control(sandbox, 'GET', `/tenants/${tenantId}/webhooks`)).data;

/** Waits until the workflow has `count` executions, then a little longer to catch extras; all of them, finished. */
async function executionsSettleAt(workflowId: string, count: number, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	let list = await cluster.main.executions(workflowId);
	while ((list.length < count || list.some((e) => ['new', 'running'].includes(e.status))) && Date.now() < deadline) {
		await sleep(300);
		list = await cluster.main.executions(workflowId);
	}
	await sleep(2000);
	return cluster.main.executions(workflowId);
}

/** One signed Lynkist delivery, posted as Lynkist would to webhook processor `processor` (0 or 1). */
async function deliverTo(
	processor: number,
	delivery: { id: string; body: string },
	endpoint: { id: string; secret: string },
	path: string,
) {
	const timestamp = Math.floor(Date.now() / 1000);
	const response = await fetch(`${cluster.webhooks[processor].url}/webhook/${path}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-lynkist-event': 'message.delivered',
			'x-lynkist-delivery': delivery.id,
			'x-lynkist-webhook-id': endpoint.id,
			'x-lynkist-timestamp': String(timestamp),
			'x-lynkist-signature': sign(endpoint.secret, timestamp, delivery.body),
		},
		body: delivery.body,
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function newDeliveries(count: number, tag: string) {
	return Array.from({ length: count }, (_, i) => ({
		id: `dlv_${tag}${String(i).padStart(4, '0')}`,
		body: JSON.stringify(envelope('message.delivered', defaultData('message.delivered'))),
	}));
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	chat = await startChat();

	const examples: WorkflowJson[] = exampleWorkflows();
	const tracking = examples.find((w) => w.id === 'lynkistDlvTrk01')!;
	tracking.nodes.find((n) => n.name === 'Alert the team')!.parameters.url = chat.url;

	// A trigger of its own tenant, so the examples' sends do not reach it.
	dedupeTenant = await createTenant(sandbox);
	const credential = lynkistCredential(dedupeTenant.key, sandbox.apiUrl, 'Lynkist dedupe tenant');
	dedupeWorkflow = triggerWorkflow(
		'Delivered, once per event',
		lynkistTriggerNode('Lynkist Trigger', { events: ['message.delivered'], options: {} }, credential),
	);

	// 200 sends at 20 per second: a run long enough to kill its worker in the middle.
	crashTenant = await createTenant(sandbox, { limits: { per_minute: 20, minute_window_ms: 1000, per_day: 100000 } });
	const crashCredential = lynkistCredential(crashTenant.key, sandbox.apiUrl, 'Lynkist crash tenant');
	const template = await seedTemplate(sandbox, crashTenant.id);
	crashWorkflow = manualWorkflow('200 customers', [
		codeNode(
			'Customers',
			`return Array.from({ length: ${CRASH_ITEMS} }, (_, i) => ({ json: { phone: '+1555030' + String(1000 + i), name: 'C' + i, order: 'O' + i, total: '$1' } }));`,
		),
		sendTemplateNode(crashCredential, template.id),
	]);

	// The same run started by a webhook (n8n saves a webhook's data with the execution it starts).
	hookCrashTenant = await createTenant(sandbox, { limits: { per_minute: 20, minute_window_ms: 1000, per_day: 100000 } });
	const hookCrashCredential = lynkistCredential(hookCrashTenant.key, sandbox.apiUrl, 'Lynkist webhook crash tenant');
	hookCrashWorkflow = manualWorkflow('200 customers, from a webhook', [
		codeNode(
			'Customers',
			`return Array.from({ length: ${CRASH_ITEMS} }, (_, i) => ({ json: { phone: '+1555040' + String(1000 + i), name: 'C' + i, order: 'O' + i, total: '$1' } }));`,
		),
		sendTemplateNode(hookCrashCredential, (await seedTemplate(sandbox, hookCrashTenant.id)).id),
	]);
	hookCrashWorkflow.nodes[0] = {
		...node(TRIGGER, 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: CRASH_HOOK, responseMode: 'onReceived' }, 2),
		webhookId: randomUUID(),
	};

	cluster = await startQueue({
		runtime: RUNTIME,
		nodesDir: RUNTIME.nodesTemplate,
		webhookProcessors: 2,
		credentials: [exampleCredential(sandbox), credential, crashCredential, hookCrashCredential],
		workflows: [...examples, dedupeWorkflow, crashWorkflow, hookCrashWorkflow],
		publish: ['lynkistSendOrd01', 'lynkistLoginCd01', 'lynkistAskAppt01', tracking.id, dedupeWorkflow.id, hookCrashWorkflow.id],
	});
	await cluster.main.setupOwner();
	// the main registers the endpoints (the triggers', Send and Wait's replies), possibly after its editor is up
	for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
		if ((await endpointsOf(DEMO_TENANT_ID)).length > 1 && (await endpointsOf(dedupeTenant.id)).length > 0) break;
	}
	await replyEndpointsSaved(cluster.main, ['lynkistAskAppt01']);
}, 300_000);

afterAll(async () => {
	await cluster?.stop();
	await sandbox?.close();
	chat?.close();
}, 120_000);

it('order webhooks reach both webhook processors and run on the workers: each order messaged once, a repost replayed', async () => {
	const orders = Array.from({ length: 6 }, (_, i) => ({
		order_id: `ORD-Q${i}`,
		total: '$24.00',
		customer: { first_name: 'Ada', phone: `+1555010${String(2000 + i)}` },
	}));
	const sent = await Promise.all(orders.map((order) => post('order-paid', order)));
	expect(sent.map((s) => s.json)).toEqual(
		orders.map((o) => expect.objectContaining({ status: 'accepted', customIdempotencyKey: o.order_id })),
	);
	const again = await post('order-paid', orders[0]);
	expect(again.json).toMatchObject({ replayed: true, messageId: sent[0].json.messageId });

	const messages = await readBack(sandbox, DEMO_TENANT_ID, 'messages');
	for (const order of orders) expect(messages.filter((m) => m.to === order.customer.phone)).toHaveLength(1);
	const executions = await executionsSettleAt('lynkistSendOrd01', 7);
	expect(executions).toHaveLength(7);
	expect(executions.every((e) => e.status === 'success')).toBe(true);
	expect(executions.map((e) => cluster.workerOf(e.id)).every((w) => w > 0)).toBe(true);
	expect(cluster.balancer.counts.every((c: number) => c > 0)).toBe(true);
});

it('Create → Submit (wait for approval) → Send and List Templates run on a worker, with the results they give on one n8n', async () => {
	const flow = await cluster.main.run('lynkistTplFlow01');
	expect(flow.items('Create template')[0]).toMatchObject({ status: 'draft' });
	expect(flow.items('Submit and wait for approval')[0]).toMatchObject({ status: 'approved' });
	expect(flow.items('Send it')[0]).toMatchObject({ status: 'accepted', to: '+15550100100' });
	const [flowExecution] = await cluster.main.executions('lynkistTplFlow01');
	expect(cluster.workerOf(flowExecution.id)).toBeGreaterThan(0);

	const list = await cluster.main.run('lynkistListTpl01');
	const approved = (await readBack(sandbox, DEMO_TENANT_ID, 'templates')).filter((t) => t.status === 'approved');
	const names = (items: Array<Record<string, any>>) => items.map((t) => `${t.template_name}/${t.language}`).sort();
	expect(names(list.items('List templates'))).toEqual(names(approved));
	const [listExecution] = await cluster.main.executions('lynkistListTpl01');
	expect(cluster.workerOf(listExecution.id)).toBeGreaterThan(0);
});

it('the Trigger registered from the main at the webhook processors’ URL; a failed message alerts the team once, from a worker', async () => {
	const [endpoint] = (await endpointsOf(DEMO_TENANT_ID)).filter((e: { description: string }) =>
		e.description.startsWith(TRIGGER_ENDPOINT_PREFIX),
	);
	expect(endpoint.events).toContain('message.failed');
	expect(endpoint.url.startsWith(`${cluster.webhookUrl}/webhook/`)).toBe(true);

	await control(sandbox, 'PATCH', `/tenants/${DEMO_TENANT_ID}`, { failing_numbers: [FAILING] });
	const order = { order_id: 'ORD-Q-FAIL', total: '$24.00', customer: { first_name: 'Ada', phone: FAILING } };
	expect((await post('order-paid', order)).json).toMatchObject({ status: 'accepted' });
	for (const deadline = Date.now() + 30_000; chat.received.length === 0 && Date.now() < deadline;) await sleep(250);
	const executions = await executionsSettleAt('lynkistDlvTrk01', 1);
	expect(chat.received).toHaveLength(1);
	expect(chat.received[0].text).toContain(`WhatsApp message to ${FAILING} failed`);
	expect(executions).toHaveLength(1);
	expect(cluster.workerOf(executions[0].id)).toBeGreaterThan(0);
});

it('Send and Wait for Reply: the question goes out from a worker, the tap reaches the reply endpoint at a webhook processor, and a worker goes on down that answer', async () => {
	const phone = '+15550100742';
	expect((await post('appointment-booked', { phone, name: 'Ada', slot: 'Monday 10:00' })).status).toBe(200);
	let executionId = '';
	for (const deadline = Date.now() + 30_000; !executionId && Date.now() < deadline; await sleep(200))
		executionId = (await cluster.main.executions('lynkistAskAppt01')).find((e) => e.status === 'waiting')?.id ?? '';
	expect(cluster.workerOf(executionId)).toBeGreaterThan(0);
	// no endpoint of its own: the node's reply endpoint, at the webhook processors, passes the answer on
	const endpoints = await endpointsOf(DEMO_TENANT_ID);
	expect(endpoints.filter((e: { url: string }) => e.url.includes('/webhook-waiting/'))).toEqual([]);
	expect(
		endpoints.filter((e: { url: string }) => e.url.startsWith(`${cluster.webhookUrl}/webhook/`) && e.url.endsWith('/replies')),
	).toHaveLength(1);
	const before = [...cluster.balancer.counts];
	const [question] = (await readBack(sandbox, DEMO_TENANT_ID, 'messages')).filter((m) => m.to === phone);
	await control(sandbox, 'POST', `/tenants/${DEMO_TENANT_ID}/messages/${question.message_id}/reply`, { button: 1 });
	const done = await cluster.main.waitForExecution(executionId, 60_000);
	expect(done.items('Ask the customer to confirm')[0]).toMatchObject({
		status: 'replied',
		button: { index: 1, text: 'I need another time' },
	});
	expect(Object.keys(done.runData)).toContain('Offer another time');
	expect(cluster.balancer.counts.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(
		before.reduce((a: number, b: number) => a + b, 0),
	);
});

describe('exactly one execution per event across two webhook processors', () => {
	let endpoint: { id: string; secret: string };
	let path: string;
	let executed = 0;

	beforeAll(async () => {
		[endpoint] = await endpointsOf(dedupeTenant.id);
		path = new URL((endpoint as unknown as { url: string }).url).pathname.replace(/^\/webhook\//, '');
	});

	/** New executions of the trigger workflow since the last call. */
	async function newExecutions(expected: number) {
		const total = (await executionsSettleAt(dedupeWorkflow.id, executed + expected)).length;
		const added = total - executed;
		executed = total;
		return added;
	}

	it('a redelivery seconds later to the other processor starts nothing, one event at a time', async () => {
		const deliveries = newDeliveries(10, 'seq');
		for (const [i, delivery] of deliveries.entries()) {
			expect((await deliverTo(i % 2, delivery, endpoint, path)).body).toEqual({ received: true });
			await sleep(1000);
			expect((await deliverTo((i + 1) % 2, delivery, endpoint, path)).body).toMatchObject({ ignored: 'duplicate delivery' });
		}
		expect(await newExecutions(10)).toBe(10);
	});

	it('after a burst at both processors at once, redeliveries to the other one: measured at once, none once traffic goes on', async () => {
		const deliveries = newDeliveries(40, 'burst');
		const first = await Promise.all(deliveries.map((d, i) => deliverTo(i % 2, d, endpoint, path)));
		expect(first.every((r) => r.status === 200)).toBe(true);
		await sleep(3000);
		const redeliver = async () => {
			const again = await Promise.all(deliveries.map((d, i) => deliverTo((i + 1) % 2, d, endpoint, path)));
			return again.filter((r) => r.body.ignored !== 'duplicate delivery').length;
		};
		const slipped = await redeliver();
		expect(await newExecutions(40)).toBe(40 + slipped);
		console.log(`burst of 40 at both processors, redelivered 3 s later to the other: ${slipped} started a second execution`);
		// Each processor accepts one more delivery, as live traffic does, and saves all it knows.
		for (const [i, next] of newDeliveries(2, 'next').entries())
			expect((await deliverTo(i, next, endpoint, path)).body).toEqual({ received: true });
		await sleep(1000);
		expect(await redeliver()).toBe(0);
		expect(await newExecutions(2)).toBe(2);
	});

	it('the same delivery to both processors at the same moment: measured, and never more than one extra', async () => {
		const deliveries = newDeliveries(20, 'race');
		for (const delivery of deliveries) await Promise.all([deliverTo(0, delivery, endpoint, path), deliverTo(1, delivery, endpoint, path)]);
		const added = await newExecutions(20);
		console.log(`simultaneous duplicates: ${added - 20} of 20 started a second execution`);
		expect(added).toBeGreaterThanOrEqual(20);
		expect(added).toBeLessThanOrEqual(40);
	});
});

/**
 * Kills the worker running `executionId` once 40 of its sends are out, and stops the execution as
 * a user would (n8n 2.41 leaves the execution of a dead worker "running"); → the sends made
 * before the kill, the worker killed (1 or 2), and the execution's status once stopped.
 */
async function killWorkerMidRun(tenantId: string, executionId: string) {
	const sent = async () => (await readBack(sandbox, tenantId, 'messages')).length;
	for (const deadline = Date.now() + 60_000; (await sent()) < 40 && Date.now() < deadline;) await sleep(100);
	const worker = cluster.workerOf(executionId);
	expect(worker).toBeGreaterThan(0);
	await cluster.workers[worker - 1].kill();
	await sleep(500); // what was on its way when the worker died has arrived
	const before = await sent();
	expect(before).toBeLessThan(CRASH_ITEMS);

	const status = async () => (await cluster.main.rest('GET', `/executions/${executionId}`)).body?.data?.status;
	for (const deadline = Date.now() + 40_000; (await status()) === 'running' && Date.now() < deadline;) await sleep(1000);
	let ended = await status();
	if (ended === 'running') {
		await cluster.main.rest('POST', `/executions/${executionId}/stop`, {});
		for (const deadline = Date.now() + 30_000; (ended = await status()) === 'running' && Date.now() < deadline;) await sleep(500);
	}
	expect(['crashed', 'error', 'canceled']).toContain(ended);
	expect(await sent()).toBe(before); // nothing went out after the kill
	return { before, worker, ended };
}

/** Each of the CRASH_ITEMS customers has exactly one message. */
async function everyoneOnce(tenantId: string) {
	const messages = await readBack(sandbox, tenantId, 'messages');
	expect(messages).toHaveLength(CRASH_ITEMS);
	expect(new Set(messages.map((m) => m.to)).size).toBe(CRASH_ITEMS);
}

describe('a worker killed in the middle of a send run', () => {
	afterEach(() => cluster.restartWorkers(), 120_000);

	it('manual: stopped, then run again on the other worker, it sends the rest and nothing twice', async () => {
		const started = await cluster.main.rest('POST', `/workflows/${crashWorkflow.id}/run`, { triggerToStartFrom: { name: 'Start' } });
		const executionId: string = started.body.data.executionId;
		const { before, worker, ended } = await killWorkerMidRun(crashTenant.id, executionId);

		// n8n refuses to Retry it (its data never left the dead worker); the user runs the workflow again.
		const refused = await cluster.main.rest('POST', `/executions/${executionId}/retry`, { loadWorkflow: false });
		expect(refused.body?.message).toMatch(/aborted before starting, so it cannot be retried/);
		const again = await cluster.main.run(crashWorkflow.id, { timeoutMs: 180_000 });
		expect(again.raw.status).toBe('success');
		const out = again.items('Send');
		expect(out).toHaveLength(CRASH_ITEMS);
		expect(out.filter((o) => o.replayed)).toHaveLength(before);
		const [latest] = await cluster.main.executions(crashWorkflow.id);
		expect(cluster.workerOf(latest.id)).toBe(worker === 1 ? 2 : 1);
		await everyoneOnce(crashTenant.id);
		console.log(`manual run: worker killed after ${before} of ${CRASH_ITEMS} sends; execution ${ended}; the run again replayed ${before}`);
	});

	it('from a webhook: stopped, then retried from the execution list, it sends the rest and nothing twice', async () => {
		expect((await post(CRASH_HOOK, {})).status).toBe(200);
		let executionId = '';
		for (const deadline = Date.now() + 30_000; !executionId && Date.now() < deadline; await sleep(200))
			executionId = (await cluster.main.executions(hookCrashWorkflow.id))[0]?.id ?? '';
		const { before, worker, ended } = await killWorkerMidRun(hookCrashTenant.id, executionId);

		// The webhook's data was saved with the execution: n8n retries it, on the worker still alive.
		const retried = await cluster.main.rest('POST', `/executions/${executionId}/retry`, { loadWorkflow: false });
		expect(retried.status).toBe(200);
		let retry;
		for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(500)) {
			const latest = (await cluster.main.executions(hookCrashWorkflow.id)).find((e) => e.id !== executionId);
			if (latest && !['new', 'running'].includes(latest.status)) {
				retry = await cluster.main.waitForExecution(latest.id);
				break;
			}
		}
		// Every node ran without an error; n8n 2.41 still lists the retry as failed, carrying over the
		// "cancelled manually" of the stop (the dead worker never saved which node it had reached).
		expect(Object.values(retry!.runData).flatMap((runs: any) => runs.filter((r: any) => r.error))).toEqual([]);
		const outcome = retry!.raw.status === 'success' ? 'success' : retry!.error()?.message;
		expect(['success', 'The execution was cancelled manually']).toContain(outcome);
		expect(retry?.raw.retryOf).toBe(executionId);
		const out = retry!.items('Send');
		expect(out).toHaveLength(CRASH_ITEMS);
		expect(out.filter((o) => o.replayed)).toHaveLength(before);
		expect(cluster.workerOf(retry!.raw.id)).toBe(worker === 1 ? 2 : 1);
		await everyoneOnce(hookCrashTenant.id);
		console.log(`webhook run: worker killed after ${before} of ${CRASH_ITEMS} sends; execution ${ended}; the Retry replayed ${before}`);
	});
});
