/**
 * The package on the oldest n8n it supports (n8n 1.x's last release line), installed as users
 * install it, against the sandbox: the paths the other suites hold on n8n 2.41, one of each kind —
 * the credential test, Send Template with a lost answer and an execution Retry, Create → Submit →
 * Send, the Trigger's registration and a signed delivery, Send and Wait answered (published and
 * from the editor), a contact sync.
 */
import {
	appointmentDesk,
	askNode,
	codeNode,
	createParams,
	lynkistCredential,
	lynkistNode,
	lynkistTriggerNode,
	manualWorkflow,
	N8n,
	oldestN8nBin,
	QUESTION,
	replyEndpointsSaved,
	rl,
	sendTemplateNode,
	startN8n,
	triggerWorkflow,
	webhookWorkflow,
	WorkflowJson,
} from './harness';
import { control, createTenant, readBack, Sandbox, seedTemplate, startSandbox } from './harness/sandbox';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
let credential: ReturnType<typeof lynkistCredential>;
let wrongKey: ReturnType<typeof lynkistCredential>;
const flows: Record<string, WorkflowJson> = {};

const phone = (i: number) => `+1555040${String(1000 + i)}`;
const customers = (count: number) =>
	codeNode(
		'Customers',
		`return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: '+1555040' + String(1000 + i), name: 'Customer ' + (i + 1), order: 'ORD-' + (i + 1), total: (10 + i) + ' EUR' } }));`,
	);
/** The execution once it has finished with the answer: n8n 1.x may list a resumed execution as finished a moment before it saves the resumed node's run. */
async function resumed(executionId: string) {
	for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
		const execution = await n8n.waitForExecution(executionId, 60_000);
		if (execution.raw.data.resultData.runData.Ask?.length || Date.now() > deadline) return execution;
	}
}
const fault = (body: Record<string, unknown>) => control(sandbox, 'POST', `/tenants/${tenant.id}/faults`, body);
const messages = () => readBack(sandbox, tenant.id, 'messages');
const { status, untilAsked, messageTo, reply, endpoints, waitEndpoints } = appointmentDesk(() => ({ sandbox, n8n, tenant }));

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	tenant = await createTenant(sandbox, { lifecycle: { enabled: false }, limits: { per_minute: 100_000, per_day: 1_000_000 } });
	const seeded = await seedTemplate(sandbox, tenant.id);
	await control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, QUESTION);
	credential = lynkistCredential(tenant.key, sandbox.apiUrl);
	wrongKey = lynkistCredential('lk_sk_test_0000000000000000000000000000000000000000', sandbox.apiUrl, 'wrong key');
	flows.send = manualWorkflow('Send to three', [customers(3), sendTemplateNode(credential, seeded.id)]);
	flows.createSubmitSend = manualWorkflow('Create, submit, send', [
		lynkistNode('Create', createParams('shipped_on_one'), credential),
		lynkistNode(
			'Submit',
			{ resource: 'template', operation: 'submit', templateId: '={{ $json.id }}', waitForApproval: true, approvalTimeout: 30 },
			credential,
		),
		lynkistNode(
			'Send',
			{
				resource: 'message',
				operation: 'sendTemplate',
				to: '+1 (555) 040-2000',
				template: rl('={{ $json.id }}', 'id'),
				variablesMode: 'fields',
				variables: { mappingMode: 'defineBelow', value: { body_1: 'Ana', body_2: '1042' }, matchingColumns: [], schema: [] },
			},
			credential,
		),
	]);
	flows.trigger = triggerWorkflow('Customer wrote', lynkistTriggerNode('Lynkist Trigger', { events: ['message.received'] }, credential));
	flows.ask = webhookWorkflow('Ask on one', 'compat-ask', [askNode(credential, { replyType: 'either' })], 'Appointment booked');
	flows.askFromEditor = manualWorkflow('Ask from the editor on one', [
		codeNode('Appointment', `return [{ json: { body: { phone: '${phone(30)}', slot: 'Tuesday 9:00' } } }];`),
		askNode(credential),
	]);
	flows.askWithLimit = manualWorkflow('Ask with a time limit on one', [
		codeNode('Appointment', `return [{ json: { body: { phone: '${phone(32)}', slot: 'Friday 8:00' } } }];`),
		askNode(credential, { limitWaitTime: true, limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' }),
	]);
	flows.sync = manualWorkflow('Sync contacts', [
		customers(3),
		lynkistNode(
			'Sync',
			{ resource: 'contact', operation: 'upsert', phone: '={{ $json.phone }}', first_name: '={{ $json.name }}', additionalFields: {} },
			credential,
		),
	]);
	n8n = await startN8n({
		credentials: [credential, wrongKey],
		workflows: Object.values(flows),
		publish: [flows.trigger.id, flows.ask.id],
		n8nBin: oldestN8nBin(),
	});
	await replyEndpointsSaved(n8n, [flows.ask.id]);
}, 300_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 60_000);

it('runs n8n 1.x', () => {
	expect(n8n.line).toBe(1);
});

it("the credential test (of a saved credential, as n8n 1.x tests them): OK with the key; a wrong one fails in n8n 1.x's own words", async () => {
	expect(await n8n.testCredential(credential)).toMatchObject({ status: 'OK' });
	const wrong = await n8n.testCredential(wrongKey);
	expect(wrong.status).toBe('Error');
	// n8n 1.x applies a credential's status rules only to errors that keep their cause, which its own do not
	expect(wrong.message).toBe('Authorization failed - please check your credentials');
});

it('Send Template: an answer lost after Lynkist committed the send is asked again with the same key; a refused item fails the run, and its Retry messages no one twice', async () => {
	await fault({ kind: 'lost_response', method: 'POST', path: '/messages/template', to: phone(0) });
	await fault({
		kind: 'status',
		method: 'POST',
		path: '/messages/template',
		to: phone(2),
		status: 422,
		detail: 'Parameter count mismatch for body',
	});
	const first = await n8n.run(flows.send.id);
	expect(first.error('Send')?.message).toMatch(/Parameter count mismatch/);
	const retried = await n8n.waitForExecution((await n8n.retry(first.raw.id)).id);
	expect(retried.raw.status).toBe('success');
	expect(retried.items('Send').map((o) => o.replayed)).toEqual([true, true, false]);
	const sent = (await messages()).filter((m) => [phone(0), phone(1), phone(2)].includes(m.to));
	expect(sent.map((m) => m.to).sort()).toEqual([phone(0), phone(1), phone(2)]);
});

it('Template: Create → Submit (waits for the review) → Send', async () => {
	const run = await n8n.run(flows.createSubmitSend.id);
	expect(run.raw.status).toBe('success');
	expect(run.items('Submit')[0]).toMatchObject({ status: 'approved' });
	expect(run.items('Send')[0]).toMatchObject({ to: '+15550402000', status: 'accepted' });
	expect((await messages()).filter((m) => m.template_name === 'shipped_on_one')).toHaveLength(1);
});

it('the Trigger registered its endpoint when published; a signed delivery starts the workflow, a forged one does not', async () => {
	const [endpoint] = (await endpoints()).filter(
		(e) => String(e.url).includes('/webhook/') && e.events.includes('message.received') && !String(e.description).includes('Send and Wait'),
	);
	expect(endpoint).toBeDefined();
	const before = (await n8n.executions(flows.trigger.id)).length;
	await control(sandbox, 'POST', `/tenants/${tenant.id}/inbound`, {
		from: phone(20),
		text: 'Is my order on its way?',
		webhook_id: endpoint.id,
	});
	const forged = await control(sandbox, 'POST', `/tenants/${tenant.id}/inbound`, {
		from: phone(21),
		text: 'forged',
		webhook_id: endpoint.id,
		tamper: 'wrong_secret',
	});
	expect(forged.data.deliveries[0].attempts[0].status_code).toBe(401);
	let started: Array<{ id: string }> = [];
	for (const deadline = Date.now() + 30_000; started.length <= before && Date.now() < deadline; await sleep(200))
		started = await n8n.executions(flows.trigger.id);
	await sleep(1000);
	started = await n8n.executions(flows.trigger.id);
	expect(started).toHaveLength(before + 1);
	const run = await n8n.waitForExecution(started[0].id);
	expect(run.items('Lynkist Trigger')[0]).toMatchObject({ event: 'message.received' });
	expect(JSON.stringify(run.items('Lynkist Trigger')[0])).toContain('Is my order on its way?');
});

it("Send and Wait for Reply in a published workflow: the customer's answer resumes the execution", async () => {
	const response = await fetch(`${n8n.url}/webhook/compat-ask`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ phone: phone(31), slot: 'Monday 10:00' }),
	});
	expect(response.status).toBe(200);
	let executionId: string | undefined;
	for (const deadline = Date.now() + 30_000; !executionId && Date.now() < deadline; await sleep(200))
		executionId = (await n8n.executions(flows.ask.id))[0]?.id;
	await untilAsked(executionId!);
	expect(await status(executionId!)).toBe('waiting');
	await reply((await messageTo(phone(31))).message_id, { text: 'yes, see you then' });
	const done = await resumed(executionId!);
	expect(done.items('Ask')[0]).toMatchObject({ status: 'replied', reply: 'yes, see you then', from: phone(31) });
});

it('Send and Wait for Reply run from the editor: the tap resumes it; a forged request to its resume URL does not', async () => {
	const started = await n8n.startRun(flows.askFromEditor.id, { triggerToStartFrom: { name: 'Start' } });
	const executionId = started.body?.data?.executionId as string;
	expect(executionId).toBeDefined();
	await untilAsked(executionId);
	const [endpoint] = await waitEndpoints();
	const forged = await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	expect(forged.status).toBe(401);
	await reply((await messageTo(phone(30))).message_id, { button: 0 });
	expect((await resumed(executionId)).items('Ask')[0]).toMatchObject({ status: 'replied', button: { index: 0 } });
});

it('Send and Wait for Reply with a time limit: the output says timedOut, and what the wait kept stays sealed in it', async () => {
	const started = await n8n.startRun(flows.askWithLimit.id, { triggerToStartFrom: { name: 'Start' } });
	const executionId = started.body?.data?.executionId as string;
	await untilAsked(executionId);
	const secret = (await waitEndpoints()).find((e) => String(e.description).includes(`execution ${executionId}`))?.secret;
	expect(secret).toMatch(/^whsec_/);
	const [out] = (await n8n.waitForExecution(executionId, 150_000)).items('Ask');
	expect(out).toMatchObject({ status: 'timedOut', timedOut: true, reply: null, to: phone(32) });
	expect(out.lynkistWait).toEqual(expect.any(String));
	expect(JSON.stringify(out)).not.toContain(secret);
}, 200_000);

it('Contact → Create or Update: three customers saved, once each', async () => {
	const run = await n8n.run(flows.sync.id);
	expect(run.raw.status).toBe('success');
	expect(run.items('Sync')).toHaveLength(3);
	const listed = await fetch(`${sandbox.apiUrl}/contacts?limit=100`, { headers: { authorization: `Bearer ${tenant.key}` } });
	const contacts = ((await listed.json()) as { data: Array<{ phone: string }> }).data;
	expect(contacts.filter((c) => [phone(0), phone(1), phone(2)].includes(c.phone))).toHaveLength(3);
});
