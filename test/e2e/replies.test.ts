/**
 * Send and Wait for Reply in a published workflow, in a running n8n against the sandbox: the node's
 * one reply endpoint at Lynkist gets each customer message once and passes it on to the executions
 * waiting for that customer only, however many wait.
 */
import {
	appointmentDesk,
	askNode,
	codeNode,
	replyEndpointsSaved,
	lynkistCredential,
	manualWorkflow,
	N8n,
	QUESTION,
	startN8n,
	webhookWorkflow,
	WorkflowJson,
} from './harness';
import { control, createTenant, readBack, Sandbox, startSandbox } from './harness/sandbox';
import { REPLY_ENDPOINT_PREFIX } from '../../nodes/Lynkist/helpers/waitConstants';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
/** A Lynkist that answers only what its docs state. */
let docs: { id: string; key: string };
let editorRun: WorkflowJson;
const flows: Record<string, WorkflowJson & { path: string }> = {};

function flow(name: string, parameters: Record<string, unknown>, credential: { id: string; name: string }) {
	const path = `replies-${name.replace(/\W+/g, '-')}`;
	flows[name] = { ...webhookWorkflow(`Ask: ${name}`, path, [askNode(credential, parameters)], 'Appointment booked'), path };
}

/** Posts an appointment to a flow; → the execution it started, once it waits (or ended). */
async function ask(name: string, phone: string, slot = 'Monday 10:00') {
	const before = new Set((await n8n.executions(flows[name].id)).map((e) => e.id));
	const response = await fetch(`${n8n.url}/webhook/${flows[name].path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ phone, slot }),
	});
	expect(response.status).toBe(200);
	for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
		const started = (await n8n.executions(flows[name].id)).find((e) => !before.has(e.id));
		if (started && !['new', 'running'].includes(started.status)) return started.id as string;
	}
	throw new Error(`no execution of ${name} began waiting`);
}

const { status, messageTo, reply, endpoints, replyEndpoints, waitEndpoints, deliveries } = appointmentDesk(() => ({
	sandbox,
	n8n,
	tenant,
}));
/** The part of a reply endpoint's URL that names the flow (its node has no webhook id: n8n uses the workflow's and the node's name). */
const flowWebhookOf = (name: string) => `/webhook/${flows[name].id}/`;

/** Until n8n has registered and saved every flow's reply endpoint. */
const ready = () =>
	replyEndpointsSaved(
		n8n,
		Object.values(flows).map((f) => f.id),
	);

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	tenant = await createTenant(sandbox, { limits: { per_minute: 100_000, per_day: 1_000_000 } });
	await control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, QUESTION);
	const credential = lynkistCredential(tenant.key, sandbox.apiUrl);
	flow('button', {}, credential);
	flow('either', { replyType: 'either' }, credential);
	flow('text', { replyType: 'text' }, credential);
	flow('time limit', { limitWaitTime: true, limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' }, credential);
	docs = await createTenant(sandbox, { docs_only: true, limits: { per_minute: 100_000, per_day: 1_000_000 } });
	await control(sandbox, 'POST', `/tenants/${docs.id}/templates`, QUESTION);
	const docsCredential = lynkistCredential(docs.key, sandbox.apiUrl, 'docs-only Lynkist');
	flow('docs-only', { replyType: 'either' }, docsCredential);
	editorRun = manualWorkflow('Ask from the editor', [
		codeNode('Appointment', 'return [{ json: { body: { phone: "+15550301901", slot: "Mon" } } }];'),
		askNode(credential),
	]);
	n8n = await startN8n({
		credentials: [credential, docsCredential],
		workflows: [...Object.values(flows), editorRun],
		publish: Object.values(flows).map((f) => f.id),
	});
	await ready();
}, 240_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 60_000);

it('publishing registers one reply endpoint per Send and Wait node, for message.received and message.failed', async () => {
	const registered = await replyEndpoints();
	expect(registered).toHaveLength(4);
	for (const endpoint of registered) {
		expect(endpoint).toMatchObject({ is_active: true });
		expect([...endpoint.events].sort()).toEqual(['message.failed', 'message.received']);
		expect(endpoint.url).toMatch(/\/webhook\/.+\/replies$/);
	}
});

it('20 executions wait: still one endpoint per node; each tap costs one delivery per node, not per wait, and resumes its own execution only', async () => {
	const phones = Array.from({ length: 20 }, (_, i) => `+1555030${String(1000 + i)}`);
	const ids: string[] = [];
	for (const phone of phones) ids.push(await ask('button', phone));
	expect(await Promise.all(ids.map(status))).toEqual(ids.map(() => 'waiting'));
	expect(await replyEndpoints()).toHaveLength(4);
	expect(await waitEndpoints()).toHaveLength(0);

	const before = (await deliveries()).length;
	for (const [i, phone] of phones.entries()) await reply((await messageTo(phone)).message_id, { button: i % 2 ? 0 : 2 });
	const done = await Promise.all(ids.map((id) => n8n.waitForExecution(id, 60_000)));
	done.forEach((execution, i) => {
		expect(execution.items('Ask')[0]).toMatchObject({ status: 'replied', from: phones[i], button: { index: i % 2 ? 0 : 2 } });
	});
	// the four published nodes each have an endpoint: each gets each message once
	const fresh = (await deliveries()).slice(before);
	for (const endpoint of await replyEndpoints()) expect(fresh.filter((d) => d.webhook_id === endpoint.id)).toHaveLength(20);
	expect(fresh).toHaveLength(80);
	expect(fresh.every((d) => d.ok)).toBe(true);
	// a second tap changes nothing
	await reply((await messageTo(phones[0])).message_id, { button: 0 });
	await sleep(1000);
	expect((await n8n.waitForExecution(ids[0])).items('Ask')[0]).toMatchObject({ button: { index: 2 } });
});

it('a quoted text, a text without the reply context and a message from nobody waited on: one delivery each per node, the right execution resumed', async () => {
	const quoted = await ask('text', '+15550301101');
	const unquoted = await ask('either', '+15550301102');
	const before = (await deliveries()).length;
	await control(sandbox, 'POST', `/tenants/${tenant.id}/inbound`, { from: '+15550301199', text: 'hello?' });
	await reply((await messageTo('+15550301101')).message_id, { text: 'Tuesday works' });
	await reply((await messageTo('+15550301102')).message_id, { text: 'see you', context: false });
	expect((await n8n.waitForExecution(quoted, 30_000)).items('Ask')[0]).toMatchObject({ reply: 'Tuesday works', answersMessage: true });
	expect((await n8n.waitForExecution(unquoted, 30_000)).items('Ask')[0]).toMatchObject({ reply: 'see you', answersMessage: false });
	const fresh = (await deliveries()).slice(before);
	expect(fresh).toHaveLength(3 * 4);
	expect(fresh.every((d) => d.ok)).toBe(true);
});

it('a message.failed of the question resumes it with the failure', async () => {
	await control(sandbox, 'PATCH', `/tenants/${tenant.id}`, { failing_numbers: ['+15550301666'], lifecycle: { delivered_ms: 3000 } });
	const executionId = await ask('button', '+15550301666');
	const done = await n8n.waitForExecution(executionId, 30_000);
	expect(done.items('Ask')[0]).toMatchObject({ status: 'failed', timedOut: false, reply: null, error: { code: expect.any(Number) } });
});

it('only a delivery Lynkist signed resumes: a forged delivery, or a forged request of a waiting node, to the reply endpoint is refused', async () => {
	const executionId = await ask('either', '+15550301201');
	const sent = await messageTo('+15550301201');
	const [endpoint] = await replyEndpoints();
	const body = JSON.stringify({ id: 'evt_forged', type: 'message.received', data: { from: '+15550301201', text: 'yes' } });
	const timestamp = String(Math.floor(Date.now() / 1000));
	const forged = await fetch(endpoint.url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-lynkist-webhook-id': endpoint.id,
			'x-lynkist-timestamp': timestamp,
			'x-lynkist-signature': `sha256=${'0'.repeat(64)}`,
		},
		body,
	});
	expect(forged.status).toBe(401);
	const forwarded = await fetch(endpoint.url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-lynkist-forward-timestamp': timestamp,
			'x-lynkist-forward-signature': `sha256=${'0'.repeat(64)}`,
		},
		body: JSON.stringify({ forget: executionId }),
	});
	expect(forwarded.status).toBe(401);
	await sleep(500);
	expect(await status(executionId)).toBe('waiting');
	await reply(sent.message_id, { text: 'yes' });
	expect((await n8n.waitForExecution(executionId, 30_000)).items('Ask')[0]).toMatchObject({ reply: 'yes' });
});

it('the same appointment posted twice asks once: the second execution ends naming the first', async () => {
	const phone = '+15550301301';
	const first = await ask('button', phone, 'Friday 9:00');
	const second = await n8n.waitForExecution(await ask('button', phone, 'Friday 9:00'), 30_000);
	expect(second.items('Ask')[0]).toMatchObject({ status: 'duplicate', duplicateOf: first, messageId: null });
	expect((await readBack(sandbox, tenant.id, 'messages')).filter((m) => m.to === phone)).toHaveLength(1);
	await reply((await messageTo(phone)).message_id, { button: 0 });
	expect((await n8n.waitForExecution(first, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied' });
});

it('a stopped or deleted execution is let go: the next message from its customer is answered 2xx and nothing is left at Lynkist', async () => {
	const stopped = await ask('either', '+15550301401');
	const deleted = await ask('either', '+15550301402');
	expect((await n8n.rest('POST', `/executions/${stopped}/stop`, {})).status).toBe(200);
	expect((await n8n.rest('POST', '/executions/delete', { ids: [deleted] })).status).toBe(200);
	let before = (await deliveries()).length;
	await reply((await messageTo('+15550301401')).message_id, { text: 'hello' });
	await sleep(1000);
	expect((await deliveries()).slice(before).map((d) => d.status_code)).toEqual([200, 200, 200, 200]);
	await reply((await messageTo('+15550301402')).message_id, { text: 'hello' });
	await sleep(1000);
	before += 4;
	expect((await deliveries()).slice(before).map((d) => d.status_code)).toEqual([200, 200, 200, 200]);
	expect(await replyEndpoints()).toHaveLength(4);
	expect(await waitEndpoints()).toHaveLength(0);
});

it('n8n restarted while executions wait: their answers after the restart resume them', async () => {
	const ids = [await ask('button', '+15550301501'), await ask('either', '+15550301502')];
	const port = Number(new URL(n8n.url).port);
	await n8n.stop();
	await n8n.start({ port });
	await ready();
	await reply((await messageTo('+15550301501')).message_id, { button: 2 });
	await reply((await messageTo('+15550301502')).message_id, { text: 'after the restart' });
	const [a, b] = await Promise.all(ids.map((id) => n8n.waitForExecution(id, 60_000)));
	expect(a.items('Ask')[0]).toMatchObject({ button: { index: 2 } });
	expect(b.items('Ask')[0]).toMatchObject({ reply: 'after the restart' });
}, 180_000);

/** Stops n8n; `away` happens meanwhile; starts it again on the same port, its reply endpoints saved. */
async function whileStopped(away: () => Promise<void>) {
	const port = Number(new URL(n8n.url).port);
	await n8n.stop();
	await away();
	await n8n.start({ port });
	await ready();
}

it('n8n away longer than Lynkist retries: the answer it gave up on resumes the wait when the next customer message reaches n8n', async () => {
	const executionId = await ask('either', '+15550301521');
	await whileStopped(async () => {
		await reply((await messageTo('+15550301521')).message_id, { text: 'the answer Lynkist gave up on', retries: false });
	});
	expect(await status(executionId)).toBe('waiting');
	await control(sandbox, 'POST', `/tenants/${tenant.id}/inbound`, { from: '+15550301598', text: 'hello?' });
	expect((await n8n.waitForExecution(executionId, 60_000)).items('Ask')[0]).toMatchObject({ reply: 'the answer Lynkist gave up on' });
}, 180_000);

it('n8n away until Lynkist disables the reply endpoint: the next question asked switches it back on, and the answer missed meanwhile resumes its wait', async () => {
	const executionId = await ask('either', '+15550301511');
	const endpoint = (await replyEndpoints()).find((e) => e.url.includes(flowWebhookOf('either')))!;
	await whileStopped(async () => {
		await reply((await messageTo('+15550301511')).message_id, { text: 'the missed answer', retries: false });
		// Lynkist disables an endpoint after 20 failed deliveries in a row
		for (let i = 0; i < 19; i++) {
			const message = { from: '+15550301599', text: `hello ${i}`, webhook_id: endpoint.id, retries: false };
			await control(sandbox, 'POST', `/tenants/${tenant.id}/inbound`, message);
		}
		expect((await replyEndpoints()).find((e) => e.id === endpoint.id)?.is_active).toBe(false);
	});
	await sleep(2_000);
	expect(await status(executionId)).toBe('waiting');
	await ask('button', '+15550301512'); // another workflow's question, with the same credential
	expect((await n8n.waitForExecution(executionId, 60_000)).items('Ask')[0]).toMatchObject({ reply: 'the missed answer' });
	expect((await replyEndpoints()).find((e) => e.id === endpoint.id)?.is_active).toBe(true);
}, 180_000);

it("a secret rotated in the Lynkist dashboard: the reply endpoint renews it, and Lynkist's retry of the answer resumes the wait", async () => {
	await control(sandbox, 'PATCH', '/config', { time_scale: 0.0005 }); // Lynkist's retries after 30 ms, 150 ms, …
	try {
		const executionId = await ask('text', '+15550301601');
		const endpoint = (await replyEndpoints()).find((e) => e.url.includes(flowWebhookOf('text')))!;
		await sleep(1100); // the rotation comes later than the registration, as in the dashboard
		const rotated = await fetch(`${sandbox.apiUrl}/webhooks/${endpoint.id}/rotate-secret`, {
			method: 'POST',
			headers: { authorization: `Bearer ${tenant.key}` },
		});
		expect(rotated.status).toBe(200);
		const before = (await deliveries()).length;
		await reply((await messageTo('+15550301601')).message_id, { text: 'yes, after the rotation' });
		expect((await n8n.waitForExecution(executionId, 60_000)).items('Ask')[0]).toMatchObject({ reply: 'yes, after the rotation' });
		const attempts = (await deliveries()).slice(before).filter((d) => d.webhook_id === endpoint.id);
		expect(attempts.map((d) => d.status_code)).toEqual([401, 200]);
	} finally {
		await control(sandbox, 'PATCH', '/config', { time_scale: 1 });
	}
});

it('unpublished while an execution waits: the endpoint is kept; published again, the answer that came meanwhile resumes it', async () => {
	const executionId = await ask('either', '+15550301701');
	const endpoint = (await replyEndpoints()).find((e) => e.url.includes(flowWebhookOf('either')))!;
	await n8n.deactivate(flows.either.id);
	// until n8n no longer serves the reply URL
	for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
		if ((await fetch(endpoint.url, { method: 'POST', body: '{}' })).status === 404) break;
	}
	expect((await replyEndpoints()).map((e) => e.id)).toContain(endpoint.id);
	await reply((await messageTo('+15550301701')).message_id, { text: 'answered while unpublished', retries: false });
	expect(await status(executionId)).toBe('waiting');
	await n8n.activate(flows.either.id);
	expect((await n8n.waitForExecution(executionId, 60_000)).items('Ask')[0]).toMatchObject({ reply: 'answered while unpublished' });
	expect((await replyEndpoints()).map((e) => e.id)).toContain(endpoint.id);
});

it('against a Lynkist that answers only what its docs state: one endpoint, and the answer resumes the wait', async () => {
	const executionId = await ask('docs-only', '+15550301801');
	const docsEndpoints = (await control(sandbox, 'GET', `/tenants/${docs.id}/webhooks`)).data as Array<Record<string, any>>;
	expect(docsEndpoints.map((e) => String(e.description).startsWith(REPLY_ENDPOINT_PREFIX))).toEqual([true]);
	const [question] = (await readBack(sandbox, docs.id, 'messages')).filter((m) => m.to === '+15550301801');
	await control(sandbox, 'POST', `/tenants/${docs.id}/messages/${question.message_id}/reply`, { text: 'yes' });
	expect((await n8n.waitForExecution(executionId, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied', reply: 'yes' });
});

it("against a docs-only Lynkist, n8n away until it disables the reply endpoint: the next question switches it back on, the wait is kept, and the customer's next message resumes it", async () => {
	const executionId = await ask('docs-only', '+15550301811');
	const [endpoint] = await replyEndpoints(docs);
	await whileStopped(async () => {
		await reply((await messageTo('+15550301811', docs)).message_id, { text: 'the missed answer', retries: false }, docs);
		for (let i = 0; i < 19; i++) {
			const message = { from: '+15550301899', text: `hello ${i}`, webhook_id: endpoint.id, retries: false };
			await control(sandbox, 'POST', `/tenants/${docs.id}/inbound`, message);
		}
		expect((await replyEndpoints(docs)).find((e) => e.id === endpoint.id)?.is_active).toBe(false);
	});
	await ask('docs-only', '+15550301812'); // the next question with that credential
	for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
		if ((await replyEndpoints(docs)).find((e) => e.id === endpoint.id)?.is_active) break;
	}
	expect((await replyEndpoints(docs)).map((e) => [e.id, e.is_active])).toEqual([[endpoint.id, true]]);
	// this Lynkist lists no failed deliveries: the missed answer is not sent again, and the wait is kept
	await sleep(2_000);
	expect(await status(executionId)).toBe('waiting');
	await control(sandbox, 'POST', `/tenants/${docs.id}/inbound`, { from: '+15550301811', text: 'yes, I wrote before' });
	expect((await n8n.waitForExecution(executionId, 60_000)).items('Ask')[0]).toMatchObject({ reply: 'yes, I wrote before' });
}, 180_000);

it("a test run from the editor's Execute Workflow runs at once, not waiting for a call to the node's reply endpoint, and the wait has an endpoint of its own", async () => {
	// Execute Step on a workflow that has not run: n8n waits for a test call; nothing is registered at Lynkist
	const before = (await endpoints()).length;
	const step = await n8n.rest('POST', `/workflows/${editorRun.id}/run`, {
		runData: {},
		destinationNode: { nodeName: 'Ask', mode: 'inclusive' },
	});
	expect(step.body.data).toEqual({ waitingForWebhook: true });
	expect(await endpoints()).toHaveLength(before);
	const started = await n8n.rest('POST', `/workflows/${editorRun.id}/run`, { triggerToStartFrom: { name: 'Start' } });
	expect(started.status).toBe(200);
	expect(started.body.data.waitingForWebhook).toBeUndefined();
	const executionId = started.body.data.executionId as string;
	for (const deadline = Date.now() + 30_000; (await status(executionId)) !== 'waiting' && Date.now() < deadline;) await sleep(200);
	expect(await waitEndpoints()).toEqual([expect.objectContaining({ url: expect.stringContaining(`/webhook-waiting/${executionId}/`) })]);
	await reply((await messageTo('+15550301901')).message_id, { button: 0 });
	expect((await n8n.waitForExecution(executionId, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied' });
	expect(await waitEndpoints()).toEqual([]);
});

it('the time limit passes: the output says timedOut, and an answer after it changes nothing; a message.failed without `to` before it was answered 2xx and passed on to no wait', async () => {
	const executionId = await ask('time limit', '+15550302001');
	const failed = await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, {
		type: 'message.failed',
		data: { message_id: (await messageTo('+15550302001')).message_id, to: null },
	});
	const answered = failed.data.deliveries.map((d: { attempts: Array<{ status_code: number }> }) => d.attempts[0].status_code);
	expect(answered).toEqual([200, 200, 200, 200]); // one per reply endpoint of this tenant
	expect(await status(executionId)).toBe('waiting');
	const done = await n8n.waitForExecution(executionId, 150_000);
	expect(done.items('Ask')[0]).toMatchObject({ status: 'timedOut', timedOut: true, reply: null, to: '+15550302001' });
	const before = (await deliveries()).length;
	await reply((await messageTo('+15550302001')).message_id, { button: 0 });
	await sleep(1000);
	expect((await deliveries()).slice(before).every((d) => d.ok)).toBe(true);
	expect((await n8n.waitForExecution(executionId)).items('Ask')[0]).toMatchObject({ status: 'timedOut' });
}, 240_000);
