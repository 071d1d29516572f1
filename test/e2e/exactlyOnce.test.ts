/**
 * A customer is messaged once on every path n8n offers, in a running n8n driven as users drive
 * it (webhooks, the Executions list's Retry through the editor's REST API, Retry On Fail), with
 * the sandbox's own record of committed messages as the ground truth.
 */
import { randomUUID } from 'node:crypto';

import {
	codeNode,
	lynkistCredential,
	lynkistNode,
	lynkistTriggerNode,
	manualWorkflow,
	N8n,
	node,
	NodeJson,
	sendTemplateNode,
	triggerWorkflow,
	webhookWorkflow,
	WorkflowJson,
	startN8n,
} from './harness';
import { control, createTenant, ORDER_CONFIRMATION, PROMO_BANNER, readBack, Sandbox, seedTemplate, startSandbox } from './harness/sandbox';

type Credential = ReturnType<typeof lynkistCredential>;
interface Scenario {
	tenant: { id: string; key: string };
	credential: Credential;
	workflow: WorkflowJson;
	/** Where a webhook-started scenario is posted to. */
	path?: string;
	templateId: string;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sandbox: Sandbox;
let n8n: N8n;
const scenarios: Record<string, Scenario> = {};
const credentials: Credential[] = [];
const published: string[] = [];

const phone = (i: number) => `+1555030${String(1000 + i)}`;
const variables = (value: Record<string, string>) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] });

/** `count` customers `{ phone, name, order, total }`; `extra` is JavaScript added to each item's json. */
function customers(count: number, extra = ''): NodeJson {
	return codeNode(
		'Customers',
		`return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: '+1555030' + String(1000 + i), name: 'Customer ' + (i + 1), order: 'ORD-' + (i + 1), total: (10 + i) + ' EUR'${extra} } }));`,
	);
}

const send = sendTemplateNode;

async function scenario(
	name: string,
	build: (credential: Credential, templateId: string) => NodeJson[],
	{
		webhook = false,
		template = ORDER_CONFIRMATION,
		settings = {},
	}: { webhook?: boolean; template?: Record<string, unknown>; settings?: Record<string, unknown> } = {},
) {
	const tenant = await createTenant(sandbox, { lifecycle: { enabled: false }, ...settings });
	const seeded = await seedTemplate(sandbox, tenant.id, template);
	const credential = lynkistCredential(tenant.key, sandbox.apiUrl, `cred ${name}`);
	credentials.push(credential);
	const path = webhook ? randomUUID() : undefined;
	const workflow = path ? webhookWorkflow(name, path, build(credential, seeded.id)) : manualWorkflow(name, build(credential, seeded.id));
	if (path) published.push(workflow.id);
	scenarios[name] = { tenant, credential, workflow, path, templateId: seeded.id };
}

const of = (name: string) => scenarios[name];
const messages = (name: string) => readBack(sandbox, of(name).tenant.id, 'messages');
const requests = (name: string) => readBack(sandbox, of(name).tenant.id, 'requests');
const fault = (name: string, body: Record<string, unknown>) => control(sandbox, 'POST', `/tenants/${of(name).tenant.id}/faults`, body);

/** Lynkist refuses (422) the scenario's sends to one recipient: the send fails and stops the node there. */
const refuseSend = (name: string, to: string) =>
	fault(name, { kind: 'status', method: 'POST', path: '/messages/template', to, status: 422, detail: 'Parameter count mismatch for body' });

/** Posts to a scenario's webhook and returns the execution it started, once finished. */
async function post(name: string, body: Record<string, unknown> = {}) {
	const before = new Set((await n8n.executions(of(name).workflow.id)).map((e) => e.id));
	const url = `${n8n.url}/webhook/${of(name).path}`;
	let response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	// n8n serves published workflows' webhooks a moment after its editor is up
	for (const deadline = Date.now() + 30_000; response.status === 404 && Date.now() < deadline;) {
		await sleep(250);
		response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	}
	expect(response.status).toBe(200);
	for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
		const started = (await n8n.executions(of(name).workflow.id)).find((e) => !before.has(e.id));
		if (started) return n8n.waitForExecution(started.id);
	}
	throw new Error(`no execution of ${name} started`);
}

/** The sandbox's ground truth: messages, distinct recipients, duplicates. */
async function committed(name: string) {
	const sent = await messages(name);
	const recipients = new Set(sent.map((m) => m.to));
	return { messages: sent.length, recipients: recipients.size, duplicates: sent.length - recipients.size, sent };
}

const RETRY_CASES = [
	{ name: 'retry, concurrency 1, original workflow', concurrency: 1, loadWorkflow: false, acceptedBefore: 5 },
	{ name: 'retry, concurrency 1, saved workflow', concurrency: 1, loadWorkflow: true, acceptedBefore: 5 },
	{ name: 'retry, concurrency 10, original workflow', concurrency: 10, loadWorkflow: false, acceptedBefore: 9 },
	{ name: 'retry, concurrency 10, saved workflow', concurrency: 10, loadWorkflow: true, acceptedBefore: 9 },
	{ name: 'retry, once per execution', concurrency: 10, loadWorkflow: false, acceptedBefore: 9, duplicateCheck: 'execution' },
];

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	for (const c of RETRY_CASES) {
		await scenario(
			c.name,
			(cr, t) => [
				customers(10),
				send(cr, t, { options: { concurrency: c.concurrency, ...(c.duplicateCheck && { duplicateCheck: c.duplicateCheck }) } }),
			],
			{ webhook: true },
		);
	}
	const timed = variables({
		header_1: '={{ $json.order }}',
		body_1: '={{ $json.name + " at " + $now.toMillis() }}',
		body_2: '={{ $json.order }}',
		body_3: '={{ $json.total }}',
		button_0_url: '={{ $json.order }}',
	});
	await scenario('retry, a time in a variable', (cr, t) => [customers(3), send(cr, t, { variables: timed })], { webhook: true });
	await scenario(
		'retry, a time in a variable, custom key',
		(cr, t) => [customers(3), send(cr, t, { variables: timed, options: { idempotencyKey: '={{ $json.order }}' } })],
		{ webhook: true },
	);
	await scenario(
		'retry after a later node',
		(cr, t) => [
			customers(3),
			send(cr, t),
			lynkistNode('Submit draft', { resource: 'template', operation: 'submit', templateId: '={{ $("Draft").first().json.id }}' }, cr, {
				executeOnce: true,
			} as Partial<NodeJson>),
		],
		{ webhook: true },
	);
	const reposted = (cr: Credential, t: string, options = {}) => [
		send(cr, t, {
			to: '={{ $json.body.phone }}',
			variables: variables({
				header_1: '={{ $json.body.order }}',
				body_1: '={{ $json.body.name }}',
				body_2: '={{ $json.body.order }}',
				body_3: '={{ $json.body.total }}',
				button_0_url: '={{ $json.body.order }}',
			}),
			options,
		}),
	];
	await scenario('order webhook posted twice', (cr, t) => reposted(cr, t), { webhook: true });
	await scenario('order webhook posted twice, docs-only Lynkist', (cr, t) => reposted(cr, t), {
		webhook: true,
		settings: { docs_only: true },
	});
	await scenario('order webhook posted twice, once per execution', (cr, t) => reposted(cr, t, { duplicateCheck: 'execution' }), {
		webhook: true,
	});
	await scenario('numeric custom keys', (cr, t) => [
		customers(2, ', orderId: 1042 + i'),
		send(cr, t, { options: { idempotencyKey: '={{ $json.orderId }}' } }),
	]);
	await scenario('one custom key, two messages', (cr, t) => [
		customers(2, ', orderId: 7'),
		send(cr, t, { options: { idempotencyKey: '={{ $json.orderId }}' } }, { onError: 'continueRegularOutput' }),
	]);
	await scenario('one custom key, two messages, stop', (cr, t) => [
		customers(2, ', orderId: 7'),
		send(cr, t, { options: { idempotencyKey: '={{ $json.orderId }}' } }),
	]);

	const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
	const withBanner = (count: number) =>
		codeNode(
			'Customers',
			`return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: '+1555030' + String(1000 + i), name: 'Customer ' + (i + 1) }, binary: { banner: { data: '${png}', mimeType: 'image/png', fileName: 'banner.png' } } }));`,
		);
	const bannerSend = (cr: Credential, t: string, body: string, extra: Partial<NodeJson> = {}, options = {}) =>
		send(cr, t, { variables: variables({ body_1: body }), options: { headerMediaBinary: 'banner', ...options } }, extra);
	await scenario(
		'retry on fail, media and a time',
		(cr, t) => [
			withBanner(2),
			bannerSend(
				cr,
				t,
				'={{ $json.name + " at " + $now.toMillis() }}',
				{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
				{ maxRetries: 0 },
			),
		],
		{ template: PROMO_BANNER },
	);
	await scenario('retry, media', (cr, t) => [withBanner(3), bannerSend(cr, t, '={{ $json.name }}')], {
		webhook: true,
		template: PROMO_BANNER,
	});
	await scenario('media upload answer lost', (cr, t) => [withBanner(1), bannerSend(cr, t, '={{ $json.name }}')], {
		template: PROMO_BANNER,
	});

	await scenario('create, answer lost', (cr) => [
		lynkistNode(
			'Create',
			{
				resource: 'template',
				operation: 'create',
				templateName: 'lost_answer',
				language: { __rl: true, mode: 'list', value: 'en_US' },
				category: 'UTILITY',
				componentsMode: 'json',
				componentsJson: '[{"type":"BODY","text":"Your order is on its way."}]',
			},
			cr,
		),
	]);
	await scenario('submit, answer lost', (cr) => [
		lynkistNode('Submit', { resource: 'template', operation: 'submit', templateId: '={{ "PLACEHOLDER" }}' }, cr),
	]);
	await scenario('429 with budget left', (cr, t) => [customers(1), send(cr, t)], {
		settings: { limits: { per_minute: 60, minute_window_ms: 60_000 } },
	});

	// A draft for the submit scenarios (the later node of 'retry after a later node' and 'submit, answer lost').
	for (const name of ['retry after a later node', 'submit, answer lost']) {
		const [draft] = (
			await control<{ data: Array<{ id: string }> }>(sandbox, 'POST', `/tenants/${of(name).tenant.id}/templates`, {
				template_name: 'draft_to_submit',
				language: 'en_US',
				category: 'UTILITY',
				status: 'draft',
				components: [{ type: 'BODY', text: 'Thanks for your order.' }],
			})
		).data;
		const wf = of(name).workflow;
		for (const n of wf.nodes) {
			if (n.parameters.operation === 'submit') n.parameters.templateId = draft.id;
		}
		(of(name) as Scenario & { draftId?: string }).draftId = draft.id;
	}

	// The trigger whose registration answer is lost: activated from the editor once n8n is up.
	const triggerTenant = await createTenant(sandbox, { lifecycle: { enabled: false } });
	const triggerCredential = lynkistCredential(triggerTenant.key, sandbox.apiUrl, 'cred trigger');
	credentials.push(triggerCredential);
	scenarios['registration answer lost'] = {
		tenant: triggerTenant,
		credential: triggerCredential,
		templateId: '',
		workflow: triggerWorkflow('registration answer lost', lynkistTriggerNode('Lynkist Trigger', {}, triggerCredential)),
	};

	n8n = await startN8n({ credentials, workflows: Object.values(scenarios).map((s) => s.workflow), publish: published });
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe("n8n's execution Retry (Executions list → Retry) sends no message twice", () => {
	it.each(RETRY_CASES)('$name: the stopped run says who was messaged, the retry sends only the rest', async ({ name, acceptedBefore }) => {
		const c = RETRY_CASES.find((r) => r.name === name)!;
		await refuseSend(name, phone(5));
		const first = await post(name);
		const error = first.error('Send');
		expect(error?.message).toMatch(/Parameter count mismatch/);
		const before = await committed(name);
		expect(before.messages).toBe(acceptedBefore);
		expect(before.sent.map((m) => m.to)).not.toContain(phone(5));
		const ranges = acceptedBefore === 5 ? '1–5' : '1–5, 7–10';
		expect(error?.description).toContain(`Before the node stopped, Lynkist had accepted items ${ranges} (${acceptedBefore} of 10)`);
		for (const m of before.sent) expect(error?.description).toContain(m.message_id);
		expect(error?.description).toContain('Retrying this execution does not message them again.');

		const retried = await n8n.retry(first.raw.id, { loadWorkflow: c.loadWorkflow });
		const retry = await n8n.waitForExecution(retried.id);
		expect(retry.raw.status).toBe('success');
		const out = retry.items('Send');
		expect(out).toHaveLength(10);
		expect(out.filter((o) => o.replayed)).toHaveLength(acceptedBefore);
		expect(out[5]).toMatchObject({ to: phone(5), status: 'accepted', replayed: false });

		const after = await committed(name);
		expect(after).toMatchObject({ messages: 10, recipients: 10, duplicates: 0 });
	});

	it('a variable that changes before the Retry ($now) makes a different message, which is sent; a custom key keeps it to one', async () => {
		const retryOnce = async (name: string) => {
			await refuseSend(name, phone(1));
			const first = await post(name);
			await sleep(5);
			return n8n.waitForExecution((await n8n.retry(first.raw.id)).id);
		};
		await retryOnce('retry, a time in a variable');
		expect(await committed('retry, a time in a variable')).toMatchObject({ messages: 5, recipients: 3, duplicates: 2 });
		const keyed = await retryOnce('retry, a time in a variable, custom key');
		expect(keyed.raw.status).toBe('success');
		const out = keyed.items('Send');
		expect(out.map((o) => o.replayed)).toEqual([true, false, true]);
		expect(out[0]).toMatchObject({ messageId: null, replayed: true });
		expect(keyed.runs('Send')[0].hints?.[0]?.message).toMatch(
			/^2 of 3 sends were not sent again: .* 2 of them had a value that changed since/,
		);
		expect(await committed('retry, a time in a variable, custom key')).toMatchObject({ messages: 3, recipients: 3, duplicates: 0 });
	});

	it('a retry after a later node failed does not run the send again', async () => {
		const name = 'retry after a later node';
		const { draftId } = of(name) as Scenario & { draftId: string };
		await fault(name, { kind: 'status', method: 'POST', path: `/templates/${draftId}/submit`, status: 500, detail: 'Internal error' });
		const first = await post(name);
		expect(first.error('Submit draft')?.message).toMatch(/500/);
		expect((await committed(name)).messages).toBe(3);
		const retry = await n8n.waitForExecution((await n8n.retry(first.raw.id)).id);
		expect(retry.raw.status).toBe('success');
		expect(retry.items('Submit draft')[0].status).toBe('pending');
		expect(await committed(name)).toMatchObject({ messages: 3, duplicates: 0 });
	});

	it('media from a binary and Retry: the retry sends the very same request, so nothing is sent twice', async () => {
		const name = 'retry, media';
		await refuseSend(name, phone(1));
		const first = await post(name);
		expect(first.error('Send')).toBeDefined();
		const retry = await n8n.waitForExecution((await n8n.retry(first.raw.id)).id);
		expect(retry.items('Send').map((o) => o.replayed)).toEqual([true, false, true]);
		expect(await committed(name)).toMatchObject({ messages: 3, recipients: 3, duplicates: 0 });
		expect(await readBack(sandbox, of(name).tenant.id, 'media')).toHaveLength(1);
	});
});

describe('the same event delivered twice', () => {
	const order = { phone: '+1 555 030 2001', name: 'Ada', order: 'C-1001', total: '42 EUR' };

	it('by default a shop posting the same order webhook twice messages the customer once; the second run says it was a replay', async () => {
		const name = 'order webhook posted twice';
		const first = await post(name, order);
		const second = await post(name, order);
		expect(first.items('Send')[0]).toMatchObject({ status: 'accepted', replayed: false });
		const replay = second.items('Send')[0];
		expect(replay).toMatchObject({ status: 'accepted', replayed: true, messageId: first.items('Send')[0].messageId });
		expect(second.runs('Send')[0].hints?.[0]?.message).toMatch(/^1 of 1 sends were not sent again/);
		expect(await committed(name)).toMatchObject({ messages: 1, duplicates: 0 });

		const later = await post(name, { ...order, order: 'C-1002' });
		expect(later.items('Send')[0].replayed).toBe(false);
		expect((await committed(name)).messages).toBe(2);
	});

	it('against a Lynkist that does not say whether an answer is a replay, both runs say replayed: null (unknown), and the customer is messaged once', async () => {
		const name = 'order webhook posted twice, docs-only Lynkist';
		const first = await post(name, order);
		const second = await post(name, order);
		expect(first.items('Send')[0]).toMatchObject({ status: 'accepted', replayed: null });
		expect(second.items('Send')[0]).toMatchObject({ status: 'accepted', replayed: null, messageId: first.items('Send')[0].messageId });
		expect(second.runs('Send')[0].hints ?? []).toEqual([]);
		expect(await committed(name)).toMatchObject({ messages: 1, duplicates: 0 });
	});

	it('with Duplicate Check "Once per Execution", a new execution with identical content sends again', async () => {
		const name = 'order webhook posted twice, once per execution';
		await post(name, order);
		const second = await post(name, order);
		expect(second.items('Send')[0].replayed).toBe(false);
		expect((await committed(name)).messages).toBe(2);
	});
});

describe('custom Idempotency Keys', () => {
	it('any value works, numbers too: it goes out as a UUID v4 made from it, and the output shows both', async () => {
		const name = 'numeric custom keys';
		const out = (await n8n.run(of(name).workflow.id)).items('Send');
		expect(out.map((o) => o.customIdempotencyKey)).toEqual(['1042', '1043']);
		for (const o of out) expect(o.idempotencyKey).toMatch(UUID_V4);
		const sent = await messages(name);
		expect(sent.map((m) => m.idempotency_key).sort()).toEqual(out.map((o) => o.idempotencyKey).sort());
		const again = (await n8n.run(of(name).workflow.id)).items('Send');
		expect(again.map((o) => o.replayed)).toEqual([true, true]);
		expect(await messages(name)).toHaveLength(2);
	});

	it('two items with one key but different messages: the later item fails before it is sent, and says why', async () => {
		const out = (await n8n.run(of('one custom key, two messages').workflow.id)).items('Send');
		expect(out[0]).toMatchObject({ status: 'accepted' });
		expect(out[1].error).toBe('Idempotency Key "7" of item 2 is also the key of item 1, with a different message');
		expect(await messages('one custom key, two messages')).toHaveLength(1);
		const stopped = await n8n.run(of('one custom key, two messages, stop').workflow.id);
		expect(stopped.error('Send')?.message).toMatch(/Idempotency Key "7" of item 2/);
		expect(await messages('one custom key, two messages, stop')).toHaveLength(0);
	});
});

it('Retry On Fail with header media from a binary and a time in a variable sends each customer once, and uploads the file once', async () => {
	const name = 'retry on fail, media and a time';
	await refuseSend(name, phone(1));
	const execution = await n8n.run(of(name).workflow.id);
	expect(execution.runs('Send')).toHaveLength(1);
	expect(execution.items('Send').map((o) => [o.status, o.replayed])).toEqual([
		['accepted', true],
		['accepted', false],
	]);
	expect(await committed(name)).toMatchObject({ messages: 2, recipients: 2, duplicates: 0 });
	expect(await readBack(sandbox, of(name).tenant.id, 'media')).toHaveLength(1);
});

describe('requests that are not sends are never repeated blindly', () => {
	it('Create whose answer is lost: reported as created but unconfirmed, not as a 409 failure; one draft exists', async () => {
		const name = 'create, answer lost';
		await fault(name, { kind: 'lost_response', method: 'POST', path: '/templates' });
		const [out] = (await n8n.run(of(name).workflow.id)).items('Create');
		expect(out).toMatchObject({
			template_name: 'lost_answer',
			status: 'draft',
			confirmed: false,
			note: expect.stringMatching(/^Created, but Lynkist's answer was lost/),
		});
		const drafts = (await readBack(sandbox, of(name).tenant.id, 'templates')).filter((t) => t.template_name === 'lost_answer');
		expect(drafts).toHaveLength(1);
	});

	it('Submit whose answer is lost: the second try finds it pending, which is success', async () => {
		const name = 'submit, answer lost';
		await fault(name, { kind: 'lost_response', method: 'POST', path: '/templates/' });
		const [out] = (await n8n.run(of(name).workflow.id)).items('Submit');
		expect(out).toMatchObject({ status: 'pending', note: expect.stringMatching(/first answer was lost/) });
		const submits = (await requests(name)).filter((r) => r.path.endsWith('/submit'));
		expect(submits.map((r) => r.status)).toEqual([200, 409]);
	});

	it('an upload whose answer is lost is uploaded again (a spare file, no spare message)', async () => {
		const name = 'media upload answer lost';
		await fault(name, { kind: 'lost_response', method: 'POST', path: '/media/upload' });
		const [out] = (await n8n.run(of(name).workflow.id)).items('Send');
		expect(out.status).toBe('accepted');
		expect(await readBack(sandbox, of(name).tenant.id, 'media')).toHaveLength(2);
		expect(await messages(name)).toHaveLength(1);
	});

	it('a webhook registration whose answer is lost leaves exactly one endpoint, and the trigger works', async () => {
		const name = 'registration answer lost';
		await fault(name, { kind: 'lost_response', method: 'POST', path: '/webhooks' });
		await n8n.activate(of(name).workflow.id);
		const posts = async () => (await requests(name)).filter((r) => r.method === 'POST' && r.path.endsWith('/webhooks'));
		// n8n registers a published workflow's trigger just after the switch answers
		for (const deadline = Date.now() + 30_000; (await posts()).length < 2 && Date.now() < deadline;) await sleep(250);
		expect((await posts()).map((r) => r.outcome)).toEqual(['lost_response', null]);
		const endpoints = (await control<{ data: Array<{ url: string }> }>(sandbox, 'GET', `/tenants/${of(name).tenant.id}/webhooks`)).data;
		expect(endpoints).toHaveLength(1);
		const { data } = await control(sandbox, 'POST', `/tenants/${of(name).tenant.id}/events`, { type: 'message.delivered' });
		expect(data.deliveries[0].attempts[0].status_code).toBe(200);
	});
});

it('a 429 with budget left waits what Retry-After says, not until the minute window ends', async () => {
	const name = '429 with budget left';
	await fault(name, {
		kind: 'status',
		method: 'POST',
		path: '/messages/template',
		status: 429,
		detail: 'Rate limit exceeded. Please slow down.',
		headers: { 'Retry-After': '1', 'X-RateLimit-Remaining-Minute': '49' },
	});
	const [out] = (await n8n.run(of(name).workflow.id)).items('Send');
	expect(out.status).toBe('accepted');
	const sends = (await requests(name)).filter((r) => r.path.endsWith('/messages/template'));
	expect(sends.map((r) => r.status)).toEqual([429, 200]);
	const waited = Date.parse(sends[1].time) - Date.parse(sends[0].time);
	expect(waited).toBeGreaterThanOrEqual(900);
	expect(waited).toBeLessThan(5_000);
});
