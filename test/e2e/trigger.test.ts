/**
 * The Lynkist Trigger in a running n8n (`n8n start`, the workflow published) against the local
 * Lynkist sandbox: it registers its endpoint, turns a send's lifecycle into executions, keeps out
 * every forged or spoiled request, runs once per delivery, and unregisters on deactivation.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import {
	lynkistCredential,
	lynkistNode,
	lynkistTriggerNode,
	manualWorkflow,
	N8n,
	triggerWorkflow,
	WorkflowJson,
	startN8n,
} from './harness';
import { control, createTenant, Sandbox, startSandbox } from './harness/sandbox';
// the sandbox's own signer: the same bytes Lynkist would send
import { sign } from '../../sandbox/events/signing';
import { TRIGGER_ENDPOINT_OFF_SUFFIX } from '../../nodes/shared/constants';

const TRIGGER_NAME = 'Lynkist Trigger';
const TEMPLATE = 'trigger_probe';

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
let workflow: WorkflowJson;
let sendWorkflow: WorkflowJson;
let webhookUrl: string;
let contactTenant: { id: string; key: string };
let contactWorkflow: WorkflowJson;
/** A Lynkist that answers only what its docs state: no delivery list, a test delivery of another shape. */
let docs: { id: string; key: string };
let docsWorkflow: WorkflowJson;
let docsSend: WorkflowJson;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function endpoints(): Promise<
	Array<{ id: string; url: string; events: string[]; secret: string; is_active: boolean; description: string | null }>
> {
	return (await control(sandbox, 'GET', `/tenants/${tenant.id}/webhooks`)).data;
}

/** Waits until the workflow has `count` executions (and then a little longer, to catch extras). */
async function executionsSettleAt(count: number, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	let list = await n8n.executions(workflow.id);
	while (list.length < count && Date.now() < deadline) {
		await sleep(250);
		list = await n8n.executions(workflow.id);
	}
	await sleep(1500);
	return n8n.executions(workflow.id);
}

async function triggerItems(executionIds: string[]) {
	const executions = await Promise.all(executionIds.map((id) => n8n.waitForExecution(id)));
	return executions.map((e) => e.items(TRIGGER_NAME)[0]);
}

/** Lynkist's public API with the tenant's key: `{ status, body }`. */
async function lynkistApi(method: string, path: string, body?: unknown) {
	const response = await fetch(`${sandbox.apiUrl}${path}`, {
		method,
		headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The endpoint's failed deliveries as Lynkist lists them, oldest first. */
async function failedDeliveries(endpointId: string): Promise<Array<{ id: string; event_id: string }>> {
	return (await lynkistApi('GET', `/webhooks/${endpointId}/deliveries?status=failed&limit=100`)).body.data ?? [];
}

/** Starts the stopped n8n again where the changed-WEBHOOK_URL test moved it, and signs in. */
async function restartAtLocalhost() {
	const port = new URL(webhookUrl).port;
	await n8n.start({ port: Number(port), env: { WEBHOOK_URL: `http://localhost:${port}/` } });
	await n8n.login();
}

/**
 * n8n is stopped while 30 events happen, with Lynkist's 8½-hour retry curve shortened to about
 * 1.5 s: every delivery fails until Lynkist gives up, and it disables the endpoint. Then n8n starts
 * again. → the events, the endpoint's failed deliveries, and how many API requests Lynkist had
 * seen by then.
 */
async function missedWhileN8nWasAway(endpointId: string) {
	await control(sandbox, 'PATCH', `/tenants/${tenant.id}`, { limits: { per_minute: 100_000 } }); // these tests poll Lynkist's API
	await control(sandbox, 'PATCH', '/config', { time_scale: 0.00005 });
	const emitted: string[] = [];
	let missed: Array<{ id: string; event_id: string }> = [];
	try {
		await n8n.stop();
		for (let i = 0; i < 30; i++)
			emitted.push((await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, { type: 'message.delivered' })).data.event.id);
		for (const deadline = Date.now() + 30_000; (missed = await failedDeliveries(endpointId)).length < 30 && Date.now() < deadline;)
			await sleep(250);
	} finally {
		await control(sandbox, 'PATCH', '/config', { time_scale: 1 });
	}
	expect(missed.map((d) => d.event_id)).toEqual(emitted);
	expect((await endpoints()).find((e) => e.id === endpointId)?.is_active).toBe(false);
	await restartAtLocalhost();
	const requests = (await control(sandbox, 'GET', `/tenants/${tenant.id}/requests`)).data.length as number;
	return { emitted, missed, requests };
}

/**
 * The event ids of the workflow's executions that are not in `before`, once the events in
 * `expected` all have one (then a little longer, to catch extras).
 */
async function executedEvents(before: Set<string>, expected: string[], timeoutMs = 60_000): Promise<string[]> {
	const read = async () => {
		const fresh = (await n8n.executions(workflow.id)).filter((e) => !before.has(e.id));
		return (await triggerItems(fresh.map((e) => e.id))).map((item) => String(item.eventId));
	};
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(500)) {
		const seen = new Set(await read());
		if (expected.every((id) => seen.has(id))) break;
	}
	await sleep(1500);
	return read();
}

/** The deliveries whose retry was asked for through Lynkist's API, in the order asked, among requests after the first `skip`. */
async function retriesAsked(skip = 0): Promise<string[]> {
	const requests: Array<{ path: string }> = (await control(sandbox, 'GET', `/tenants/${tenant.id}/requests`)).data;
	return requests
		.slice(skip)
		.filter((r) => r.path.endsWith('/retry'))
		.map((r) => r.path.split('/').at(-2) as string);
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	tenant = await createTenant(sandbox);
	await control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, {
		template_name: TEMPLATE,
		language: 'en_US',
		category: 'UTILITY',
		components: [{ type: 'BODY', text: 'Your order has shipped.' }],
	});
	const credential = lynkistCredential(tenant.key, sandbox.apiUrl);
	const trigger = lynkistTriggerNode(TRIGGER_NAME, {}, credential);
	workflow = triggerWorkflow('Lynkist events', trigger);
	sendWorkflow = manualWorkflow('send one', [
		lynkistNode(
			'Send',
			{ resource: 'message', operation: 'sendTemplate', to: '+1 555 010 0002', template: { __rl: true, mode: 'name', value: TEMPLATE } },
			credential,
		),
	]);

	// contact and follow-up events, in a tenant of their own
	contactTenant = await createTenant(sandbox);
	const contactCredential = lynkistCredential(contactTenant.key, sandbox.apiUrl, 'Lynkist contacts tenant');
	contactWorkflow = triggerWorkflow(
		'Contact events',
		lynkistTriggerNode(TRIGGER_NAME, { events: ['contact.created', 'contact.deleted', 'followup.created'] }, contactCredential),
	);

	docs = await createTenant(sandbox, { docs_only: true, lifecycle: { enabled: false } });
	await control(sandbox, 'POST', `/tenants/${docs.id}/templates`, {
		template_name: TEMPLATE,
		language: 'en_US',
		category: 'UTILITY',
		components: [{ type: 'BODY', text: 'Your order has shipped.' }],
	});
	const docsCredential = lynkistCredential(docs.key, sandbox.apiUrl, 'docs-only Lynkist');
	docsWorkflow = triggerWorkflow('Lynkist events, docs-only Lynkist', lynkistTriggerNode(TRIGGER_NAME, {}, docsCredential));
	docsSend = manualWorkflow('send one, docs-only Lynkist', [
		lynkistNode(
			'Send',
			{ resource: 'message', operation: 'sendTemplate', to: '+1 555 010 0003', template: { __rl: true, mode: 'name', value: TEMPLATE } },
			docsCredential,
		),
	]);

	n8n = await startN8n({
		credentials: [credential, contactCredential, docsCredential],
		workflows: [workflow, sendWorkflow, contactWorkflow, docsWorkflow, docsSend],
		publish: [workflow.id, contactWorkflow.id, docsWorkflow.id],
	});
	webhookUrl = `${n8n.url}/webhook/${trigger.webhookId}/webhook`;
	// n8n registers published workflows' webhooks just after its editor is up
	for (const deadline = Date.now() + 30_000; (await endpoints()).length === 0 && Date.now() < deadline;) await sleep(250);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

it('activation registers an endpoint at Lynkist for the production URL and the default events', async () => {
	const registered = await endpoints();
	expect(registered).toHaveLength(1);
	expect(registered[0]).toMatchObject({
		url: webhookUrl,
		is_active: true,
		events: expect.arrayContaining(['message.sent', 'message.delivered', 'message.read', 'message.failed']),
	});
	expect(registered[0].events).toHaveLength(4);
});

it('a Send Template in another workflow yields one execution each for sent, delivered and read, with its message id', async () => {
	const before = (await n8n.executions(workflow.id)).length;
	const [sent] = (await n8n.run(sendWorkflow.id)).items('Send');
	expect(sent.status).toBe('accepted');
	const messageId = sent.messageId;

	const after = await executionsSettleAt(before + 3);
	expect(after).toHaveLength(before + 3);
	const items = await triggerItems(after.slice(0, 3).map((e) => e.id));
	expect(items.map((i) => i.event).sort()).toEqual(['message.delivered', 'message.read', 'message.sent']);
	const [endpoint] = await endpoints();
	for (const item of items) {
		expect(item).toMatchObject({
			messageId,
			to: '+15550100002',
			templateName: TEMPLATE,
			language: 'en_US',
			status: item.event.split('.')[1],
			webhookId: endpoint.id,
			deliveryId: expect.any(String),
			timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
		});
		expect(item).not.toHaveProperty('raw');
	}
});

it('a failed message carries its error code, title and message', async () => {
	const before = (await n8n.executions(workflow.id)).length;
	const { data } = await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, { type: 'message.failed' });
	expect(data.deliveries[0].attempts[0].status_code).toBe(200);
	const after = await executionsSettleAt(before + 1);
	expect(after).toHaveLength(before + 1);
	const [item] = await triggerItems([after[0].id]);
	expect(item).toMatchObject({
		event: 'message.failed',
		errorCode: data.event.data.error.code,
		errorTitle: data.event.data.error.title,
		errorMessage: data.event.data.error.message,
		deliveryId: data.deliveries[0].delivery_id,
	});
});

it('contact and follow-up events start the workflow with the contact or follow-up as the item', async () => {
	const contactEndpoints = async () => (await control(sandbox, 'GET', `/tenants/${contactTenant.id}/webhooks`)).data;
	for (const deadline = Date.now() + 30_000; (await contactEndpoints()).length === 0 && Date.now() < deadline;) await sleep(250);
	expect((await contactEndpoints())[0].events.sort()).toEqual(['contact.created', 'contact.deleted', 'followup.created']);
	const call = (method: string, path: string, body?: unknown) =>
		fetch(`${sandbox.apiUrl}${path}`, {
			method,
			headers: { authorization: `Bearer ${contactTenant.key}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	const created = await call('POST', '/contacts', { first_name: 'Ada', phone: '+15550100001', custom_fields: { opted_out: 'no' } });
	const contact = (await created.json()) as { id: string };
	await call('PATCH', `/contacts/${contact.id}`, { status: 'lead' }); // contact.updated: not selected
	await call('DELETE', `/contacts/${contact.id}`);
	await control(sandbox, 'POST', `/tenants/${contactTenant.id}/events`, { type: 'followup.created', data: { contact_id: contact.id } });
	let items: Array<Record<string, any>> = [];
	for (const deadline = Date.now() + 30_000; items.length < 3 && Date.now() < deadline; await sleep(300)) {
		const done = (await n8n.executions(contactWorkflow.id)).filter((e) => e.status === 'success');
		items = (await Promise.all(done.map((e) => n8n.waitForExecution(e.id)))).map((e) => e.items(TRIGGER_NAME)[0]);
	}
	await sleep(1500);
	expect(await n8n.executions(contactWorkflow.id)).toHaveLength(3);
	const byEvent = Object.fromEntries(items.map((i) => [i.event, i]));
	expect(byEvent['contact.created']).toMatchObject({
		contactId: contact.id,
		contact: { first_name: 'Ada', phone: '+15550100001', custom_fields: { opted_out: 'no' } },
	});
	expect(byEvent['contact.deleted']).toMatchObject({ contactId: contact.id, contact: { status: 'lead' } });
	expect(byEvent['followup.created']).toMatchObject({ followUpId: expect.any(String), contactId: contact.id });
});

it('a delivery redelivered three times starts exactly one execution', async () => {
	const before = (await n8n.executions(workflow.id)).length;
	const { data } = await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, { type: 'message.delivered', repeat: 3 });
	const statuses = data.deliveries[0].attempts.map((a: { status_code: number }) => a.status_code);
	expect(statuses).toEqual([200, 200, 200]);
	expect(await executionsSettleAt(before + 1)).toHaveLength(before + 1);
});

it('an event the trigger is not subscribed to is answered 200 and starts nothing', async () => {
	const before = (await n8n.executions(workflow.id)).length;
	const [endpoint] = await endpoints();
	const { data } = await control(sandbox, 'POST', `/tenants/${tenant.id}/inbound`, { webhook_id: endpoint.id });
	expect(data.deliveries[0].attempts[0].status_code).toBe(200);
	expect(await executionsSettleAt(before)).toHaveLength(before);
});

it('an accepted delivery is answered with a small acknowledgement, and starts the workflow', async () => {
	const [endpoint] = await endpoints();
	const before = (await n8n.executions(workflow.id)).length;
	const t = String(Math.floor(Date.now() / 1000));
	const body = JSON.stringify({
		id: `evt_ack_${randomUUID()}`,
		type: 'message.delivered',
		created_at: new Date().toISOString(),
		data: { message_id: 'wamid.ack', to: '+15550100003', status: 'delivered' },
	});
	const response = await fetch(webhookUrl, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-lynkist-event': 'message.delivered',
			'x-lynkist-delivery': `dlv_${randomUUID()}`,
			'x-lynkist-timestamp': t,
			'x-lynkist-webhook-id': endpoint.id,
			'x-lynkist-signature': sign(endpoint.secret, t, body),
		},
		body,
	});
	expect(response.status).toBe(200);
	expect(await response.json()).toEqual({ received: true });
	expect(await executionsSettleAt(before + 1)).toHaveLength(before + 1);
});

it("a secret rotated in the Lynkist dashboard heals by itself: the first try is refused, the trigger renews the secret, Lynkist's retry starts the workflow", async () => {
	await control(sandbox, 'PATCH', '/config', { time_scale: 0.002 }); // Lynkist's 1-minute retry in 120 ms
	try {
		const [endpoint] = await endpoints();
		const rotated = await lynkistApi('POST', `/webhooks/${endpoint.id}/rotate-secret`);
		expect(rotated.status).toBe(200);
		const dashboardSecret = rotated.body.data.secret;
		const before = (await n8n.executions(workflow.id)).length;
		const { data } = await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, { type: 'message.delivered' });
		expect(data.deliveries[0].attempts[0].status_code).toBe(401);
		expect(await executionsSettleAt(before + 1)).toHaveLength(before + 1);
		const attempts = (await control(sandbox, 'GET', `/tenants/${tenant.id}/deliveries`)).data.filter(
			(d: { delivery_id: string }) => d.delivery_id === data.deliveries[0].delivery_id,
		);
		expect(attempts.map((a: { status_code: number }) => a.status_code)).toEqual([401, 200]);
		const [healed] = await endpoints();
		expect(healed.id).toBe(endpoint.id);
		expect(healed.secret).not.toBe(dashboardSecret);
	} finally {
		await control(sandbox, 'PATCH', '/config', { time_scale: 1 });
	}
});

it('listening for a test event registers the test URL next to the production one, and removes it after the event', async () => {
	const started = await n8n.rest('POST', `/workflows/${workflow.id}/run`, { triggerToStartFrom: { name: TRIGGER_NAME } });
	expect(started.status).toBe(200);
	expect(started.body.data).toMatchObject({ waitingForWebhook: true });
	for (const deadline = Date.now() + 15_000; (await endpoints()).length < 2 && Date.now() < deadline;) await sleep(250);
	const urls = (await endpoints()).map((e) => e.url).sort();
	expect(urls).toEqual([webhookUrl, webhookUrl.replace('/webhook/', '/webhook-test/')].sort());

	const { data } = await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, { type: 'message.read' });
	expect(data.deliveries.map((d: { attempts: Array<{ status_code: number }> }) => d.attempts[0].status_code)).toEqual([200, 200]);
	for (const deadline = Date.now() + 15_000; (await endpoints()).length > 1 && Date.now() < deadline;) await sleep(250);
	expect((await endpoints()).map((e) => e.url)).toEqual([webhookUrl]);
});

it('an endpoint Lynkist already has for this URL (static data lost with an imported workflow) is replaced, not left behind', async () => {
	await n8n.deactivate(workflow.id);
	for (const deadline = Date.now() + 15_000; (await endpoints()).length > 0 && Date.now() < deadline;) await sleep(250);
	const strayId = (await lynkistApi('POST', '/webhooks', { url: webhookUrl, events: ['message.read'] })).body.data.id;
	await n8n.activate(workflow.id);
	for (const deadline = Date.now() + 15_000; !(await endpoints()).some((e) => e.id !== strayId) && Date.now() < deadline;) await sleep(250);
	const now = await endpoints();
	expect(now).toHaveLength(1);
	expect(now[0].id).not.toBe(strayId);
	expect(now[0].url).toBe(webhookUrl);
});

it('deactivation deletes the endpoint at Lynkist', async () => {
	const [registered] = await endpoints();
	expect(registered).toBeDefined();
	await n8n.deactivate(workflow.id);
	// n8n removes a deactivated workflow's webhooks after it has answered
	for (const deadline = Date.now() + 15_000; (await endpoints()).length > 0 && Date.now() < deadline;) await sleep(250);
	expect(await endpoints()).toEqual([]);
	const requests = (await control(sandbox, 'GET', `/tenants/${tenant.id}/requests`)).data;
	expect(requests.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toContain(
		`DELETE /api/v1/public/webhooks/${registered.id}`,
	);
});

it('a changed WEBHOOK_URL leaves no endpoint behind: turning the workflow off and on moves it to the new address', async () => {
	await n8n.activate(workflow.id);
	for (const deadline = Date.now() + 15_000; (await endpoints()).length === 0 && Date.now() < deadline;) await sleep(250);
	expect((await endpoints()).map((e) => e.url)).toEqual([webhookUrl]);
	await n8n.stop();
	await restartAtLocalhost();
	await n8n.deactivate(workflow.id);
	for (const deadline = Date.now() + 15_000; (await endpoints()).length > 0 && Date.now() < deadline;) await sleep(250);
	expect(await endpoints()).toEqual([]);
	await n8n.activate(workflow.id);
	for (const deadline = Date.now() + 15_000; (await endpoints()).length === 0 && Date.now() < deadline;) await sleep(250);
	expect((await endpoints()).map((e) => e.url)).toEqual([webhookUrl.replace('127.0.0.1', 'localhost')]);
});

it('no event is lost while n8n was away: the endpoint Lynkist disabled comes back with the next send, and each missed event starts the workflow once', async () => {
	const [endpoint] = await endpoints();
	const before = new Set((await n8n.executions(workflow.id)).map((e) => e.id));
	const { emitted, missed, requests } = await missedWhileN8nWasAway(endpoint.id);
	const send = await n8n.run(sendWorkflow.id);
	expect(send.runs('Send')[0].hints?.map((h: { message: string }) => h.message)).toContainEqual(
		expect.stringMatching(
			/^Lynkist had stopped sending message events to .* It was switched back on, and its 30 missed deliveries were sent again/,
		),
	);
	const replayed = new Set(emitted);
	const seen = (await executedEvents(before, emitted)).filter((id) => replayed.has(id));
	expect(seen.sort()).toEqual([...emitted].sort());
	// asked for again oldest first
	expect(await retriesAsked(requests)).toEqual(missed.map((d) => d.id));
	expect((await endpoints())[0]).toMatchObject({ id: endpoint.id, is_active: true });
});

it('no event is lost when the workflow is turned off and on after n8n was away: the endpoint is kept while off, and each event it missed starts the workflow once', async () => {
	const [endpoint] = await endpoints();
	const before = new Set((await n8n.executions(workflow.id)).map((e) => e.id));
	const { emitted, requests } = await missedWhileN8nWasAway(endpoint.id);
	await n8n.deactivate(workflow.id);
	// kept, switched off: deleting it would delete what it missed
	for (
		const deadline = Date.now() + 15_000;
		!(await endpoints())[0]?.description?.endsWith(TRIGGER_ENDPOINT_OFF_SUFFIX) && Date.now() < deadline;
	)
		await sleep(250);
	expect(await endpoints()).toEqual([
		expect.objectContaining({
			id: endpoint.id,
			is_active: false,
			description: expect.stringMatching(/ \(production URL\) \(workflow off in n8n; /),
		}),
	]);
	// while the workflow is off, a send (the same message as before: Lynkist replays it) leaves it
	// off, as n8n does not serve its URL; Lynkist keeps the events of that time for it
	const send = await n8n.run(sendWorkflow.id);
	expect((send.runs('Send')[0].hints ?? []).map((h: { message: string }) => h.message)).not.toContainEqual(
		expect.stringContaining('switched back on'),
	);
	const whileOff: string[] = [];
	for (let i = 0; i < 3; i++)
		whileOff.push((await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, { type: 'message.read' })).data.event.id);
	const owed = await failedDeliveries(endpoint.id);
	expect(owed.map((d) => d.event_id)).toEqual([...emitted, ...whileOff]);
	expect((await endpoints())[0].is_active).toBe(false);

	await n8n.activate(workflow.id);
	const seen = await executedEvents(
		before,
		owed.map((d) => d.event_id),
	);
	console.log(
		`off and on after n8n was away: ${seen.length} executions for ${emitted.length} events missed while away and ${whileOff.length} while off, ${seen.length - new Set(seen).size} duplicates, ${owed.filter((d) => !seen.includes(d.event_id)).length} lost`,
	);
	expect(seen.sort()).toEqual(owed.map((d) => d.event_id).sort());
	// asked for again oldest first
	expect(await retriesAsked(requests)).toEqual(owed.map((d) => d.id));
	expect(await endpoints()).toEqual([
		expect.objectContaining({ id: endpoint.id, is_active: true, description: expect.stringMatching(/ \(production URL\)$/) }),
	]);
});

describe('against a Lynkist that answers only what its docs state', () => {
	const docsEndpoints = async () =>
		(await control(sandbox, 'GET', `/tenants/${docs.id}/webhooks`)).data as Array<{ id: string; is_active: boolean; secret: string }>;
	const docsApi = (method: string, path: string, body?: unknown) =>
		fetch(`${sandbox.apiUrl}${path}`, {
			method,
			headers: { authorization: `Bearer ${docs.key}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	const docsExecutions = async (count: number) => {
		for (const deadline = Date.now() + 30_000; (await n8n.executions(docsWorkflow.id)).length < count && Date.now() < deadline;)
			await sleep(250);
		await sleep(1500);
		return n8n.executions(docsWorkflow.id);
	};

	it('registers, starts the workflow once per delivery, answers a test delivery of another shape with 200 and starts nothing for it', async () => {
		for (const deadline = Date.now() + 30_000; (await docsEndpoints()).length === 0 && Date.now() < deadline;) await sleep(250);
		const [endpoint] = await docsEndpoints();
		expect(endpoint).toMatchObject({ is_active: true });
		const tested = await docsApi('POST', `/webhooks/${endpoint.id}/test`);
		expect(await tested.json()).toEqual({ data: { id: endpoint.id, message: 'Test event sent' } });
		const event = await control(sandbox, 'POST', `/tenants/${docs.id}/events`, { type: 'message.delivered', repeat: 2 });
		expect(event.data.deliveries[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([200, 200]);
		const runs = await docsExecutions(1);
		expect(runs).toHaveLength(1);
		const deliveries = (await control(sandbox, 'GET', `/tenants/${docs.id}/deliveries`)).data as Array<{
			event: string;
			status_code: number;
		}>;
		expect(deliveries.find((d) => d.event === 'ping')).toMatchObject({ status_code: 200 });
	});

	it('an endpoint Lynkist disabled comes back with the next send, whose hint says that what it missed cannot be sent again', async () => {
		const [endpoint] = await docsEndpoints();
		expect((await docsApi('PUT', `/webhooks/${endpoint.id}`, { active: false })).status).toBe(200);
		const send = await n8n.run(docsSend.id);
		expect(send.runs('Send')[0].hints?.map((h: { message: string }) => h.message)).toContainEqual(
			expect.stringMatching(/It was switched back on, but Lynkist offers no way to send again the deliveries it missed/),
		);
		expect((await docsEndpoints())[0]).toMatchObject({ id: endpoint.id, is_active: true });
	});

	it('turned off with a delivery failed, the endpoint is kept switched off; turned on, it works again', async () => {
		const [endpoint] = await docsEndpoints();
		await control(sandbox, 'POST', `/tenants/${docs.id}/events`, { type: 'message.read', tamper: 'wrong_secret' });
		await n8n.deactivate(docsWorkflow.id);
		for (const deadline = Date.now() + 15_000; (await docsEndpoints())[0]?.is_active !== false && Date.now() < deadline;) await sleep(250);
		expect(await docsEndpoints()).toEqual([expect.objectContaining({ id: endpoint.id, is_active: false })]);
		await n8n.activate(docsWorkflow.id);
		for (const deadline = Date.now() + 15_000; (await docsEndpoints())[0]?.is_active !== true && Date.now() < deadline;) await sleep(250);
		const before = (await n8n.executions(docsWorkflow.id)).length;
		await control(sandbox, 'POST', `/tenants/${docs.id}/events`, { type: 'message.sent' });
		expect(await docsExecutions(before + 1)).toHaveLength(before + 1);
	});
});

// Last: the sandbox does not retry its tampered deliveries, so they stay failed at Lynkist, and an
// endpoint that owes deliveries is kept, not deleted, when its workflow is turned off.
describe('forged and spoiled requests', () => {
	interface BadRequest {
		kind: string;
		body: Buffer;
		headers: Record<string, string>;
	}

	/** At least 1,000 requests, none of which may start the workflow. */
	function corpus(secret: string, webhookId: string): BadRequest[] {
		const requests: BadRequest[] = [];
		const now = () => Math.floor(Date.now() / 1000);
		const event = (i: number) =>
			Buffer.from(
				JSON.stringify({
					id: `evt_forged_${i}`,
					type: 'message.delivered',
					created_at: new Date().toISOString(),
					data: {
						message_id: `wamid.forged${i}`,
						to: '+15550100003',
						status: 'delivered',
						template_name: TEMPLATE,
						language: 'en_US',
						timestamp: new Date().toISOString(),
					},
				}),
			);
		const headers = (i: number, timestamp: string, signature?: string, contentType = 'application/json') => {
			const h: Record<string, string> = {
				'content-type': contentType,
				'x-lynkist-event': 'message.delivered',
				'x-lynkist-delivery': `dlv_forged_${i}`,
				'x-lynkist-timestamp': timestamp,
				'x-lynkist-webhook-id': webhookId,
			};
			if (signature !== undefined) h['x-lynkist-signature'] = signature;
			return h;
		};
		const add = (kind: string, count: number, make: (i: number) => Omit<BadRequest, 'kind'>) => {
			for (let i = 0; i < count; i++) requests.push({ kind, ...make(requests.length) });
		};

		add('no signature headers', 60, (i) => {
			const h = headers(i, '');
			delete h['x-lynkist-timestamp'];
			return { body: event(i), headers: h };
		});
		add('no signature', 60, (i) => ({ body: event(i), headers: headers(i, String(now())) }));
		add('no webhook id, correctly signed', 40, (i) => {
			const t = String(now());
			const h = headers(i, t, sign(secret, t, event(i).toString()));
			delete h['x-lynkist-webhook-id'];
			return { body: event(i), headers: h };
		});
		add('another endpoint named, correctly signed', 40, (i) => {
			const t = String(now());
			return { body: event(i), headers: { ...headers(i, t, sign(secret, t, event(i).toString())), 'x-lynkist-webhook-id': randomUUID() } };
		});
		add('no timestamp', 60, (i) => {
			const t = String(now());
			const h = headers(i, t, sign(secret, t, event(i).toString()));
			delete h['x-lynkist-timestamp'];
			return { body: event(i), headers: h };
		});
		add('wrong secret', 150, (i) => {
			const t = String(now());
			return { body: event(i), headers: headers(i, t, sign(`whsec_${randomBytes(32).toString('hex')}`, t, event(i).toString())) };
		});
		add('one body byte flipped after signing', 200, (i) => {
			const t = String(now());
			const body = event(i);
			const signature = sign(secret, t, body.toString());
			const at = i % body.length;
			body[at] = body[at] ^ (1 << (i % 7));
			return { body, headers: headers(i, t, signature) };
		});
		add('stale timestamp, correctly signed', 100, (i) => {
			const t = String(now() - 301 - i * 37);
			return { body: event(i), headers: headers(i, t, sign(secret, t, event(i).toString())) };
		});
		add('future timestamp, correctly signed', 100, (i) => {
			const t = String(now() + 301 + i * 37);
			return { body: event(i), headers: headers(i, t, sign(secret, t, event(i).toString())) };
		});
		const oddTimestamps = ['abc', '', ' ', '1e9', '12.5', '0x1f', '-1', `${now()}abc`, `${now() * 1000}`, 'NaN', 'Infinity', ' 1700000000'];
		add('non-numeric or malformed timestamp, signed over it', 120, (i) => {
			const t = oddTimestamps[i % oddTimestamps.length];
			return { body: event(i), headers: headers(i, t, sign(secret, t, event(i).toString())) };
		});
		add('signature in another format', 60, (i) => {
			const t = String(now());
			const good = sign(secret, t, event(i).toString());
			const variants = [
				good.toUpperCase(),
				good.slice(7),
				`sha1=${good.slice(7)}`,
				good.slice(0, -1),
				`${good}0`,
				`sha256=${Buffer.from(good.slice(7), 'hex').toString('base64')}`,
			];
			return { body: event(i), headers: headers(i, t, variants[i % variants.length]) };
		});
		add('invalid JSON, correctly signed', 60, (i) => {
			const t = String(now());
			const body = Buffer.from(['{"type":"message.delivered"', 'not json', '[1,2', '{"type":', '"just a string"', '42'][i % 6]);
			const contentType = i % 2 ? 'application/json' : 'text/plain';
			return { body, headers: headers(i, t, sign(secret, t, body.toString()), contentType) };
		});
		add('empty body, correctly signed', 20, (i) => {
			const t = String(now());
			return { body: Buffer.alloc(0), headers: headers(i, t, sign(secret, t, '')) };
		});
		add('oversized body, correctly signed', 10, (i) => {
			const t = String(now());
			const body = Buffer.from(
				JSON.stringify({ id: `evt_big_${i}`, type: 'message.delivered', data: { pad: 'x'.repeat(1024 * 1024 + 10) } }),
			);
			return { body, headers: headers(i, t, sign(secret, t, body.toString()), i % 2 ? 'application/json' : 'text/plain') };
		});
		return requests;
	}

	it('every one of more than 1,000 bad requests is rejected and none starts the workflow', async () => {
		const [endpoint] = await endpoints();
		const requests = corpus(endpoint.secret, endpoint.id);
		expect(requests.length).toBeGreaterThanOrEqual(1000);
		const before = (await n8n.executions(workflow.id)).length;

		const statuses: Array<{ kind: string; status: number }> = [];
		let next = 0;
		const worker = async () => {
			while (next < requests.length) {
				const request = requests[next++];
				const response = await fetch(webhookUrl, { method: 'POST', headers: request.headers, body: request.body });
				await response.arrayBuffer();
				statuses.push({ kind: request.kind, status: response.status });
			}
		};
		await Promise.all(Array.from({ length: 16 }, worker));

		const accepted = statuses.filter((s) => s.status < 400);
		expect(accepted).toEqual([]);
		const byStatus = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s.status]: (acc[s.status] ?? 0) + 1 }), {});
		// the node answers 401 / 400 / 413; n8n itself answers 422 to malformed application/json before any node runs
		expect(statuses.filter((s) => ![400, 401, 413, 422].includes(s.status))).toEqual([]);
		expect(
			statuses
				.filter(
					(s) => s.kind.startsWith('wrong') || s.kind.includes('timestamp') || s.kind.startsWith('no ') || s.kind.startsWith('another'),
				)
				.every((s) => s.status === 401),
		).toBe(true);
		expect(await executionsSettleAt(before, 5_000)).toHaveLength(before);
		console.log(`rejected ${statuses.length} bad requests: ${JSON.stringify(byStatus)}`);
	});

	it("the sandbox's own tampered deliveries are rejected too, and start nothing", async () => {
		const before = (await n8n.executions(workflow.id)).length;
		for (const tamper of ['wrong_secret', 'stale_timestamp', 'future_timestamp', 'altered_body', 'missing_signature']) {
			const { data } = await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, { type: 'message.read', tamper });
			expect([tamper, data.deliveries[0].attempts[0].status_code]).toEqual([tamper, 401]);
		}
		expect(await executionsSettleAt(before, 3_000)).toHaveLength(before);
	});
});
