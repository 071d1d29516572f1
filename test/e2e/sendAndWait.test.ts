/**
 * Send and Wait for Reply in a running n8n against the sandbox, which plays the customer: each
 * appointment webhook starts an execution that sends a question and waits; the customer taps a
 * button or types in WhatsApp; Lynkist's signed message.received resumes exactly that execution.
 */
import {
	codeNode,
	createN8n,
	lynkistCredential,
	lynkistNode,
	manualWorkflow,
	N8n,
	NodeJson,
	webhookWorkflow,
	WorkflowJson,
} from './harness';
import { control, createKey, createTenant, readBack, Sandbox, startSandbox } from './harness/sandbox';
import { WAIT_ENDPOINT_PREFIX } from '../../nodes/Lynkist/helpers/constants';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The question: a date to confirm, Yes and No as quick replies, and a link between them. */
const QUESTION = {
	template_name: 'confirm_appointment',
	language: 'en',
	category: 'UTILITY',
	components: [
		{ type: 'BODY', text: 'Your appointment is on {{1}}. Can you make it?', example: { body_text: [['Monday 10:00']] } },
		{
			type: 'BUTTONS',
			buttons: [
				{ type: 'QUICK_REPLY', text: 'Yes, I will come' },
				{ type: 'URL', text: 'Pick another time', url: 'https://clinic.example/slots' },
				{ type: 'QUICK_REPLY', text: 'No, cancel it' },
			],
		},
	],
};
const NO_BUTTONS = {
	template_name: 'plain_question',
	language: 'en',
	category: 'UTILITY',
	components: [{ type: 'BODY', text: 'What time suits you on {{1}}?', example: { body_text: [['Monday']] } }],
};

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
let credential: ReturnType<typeof lynkistCredential>;
const flows: Record<string, WorkflowJson & { path: string }> = {};

function askNode(credential: { id: string; name: string }, parameters: Record<string, unknown> = {}): NodeJson {
	return lynkistNode(
		'Ask',
		{
			resource: 'message',
			operation: 'sendAndWait',
			to: '={{ $json.body.phone }}',
			replyType: 'button',
			template: { __rl: true, mode: 'name', value: QUESTION.template_name },
			variables: { mappingMode: 'defineBelow', value: { body_1: '={{ $json.body.slot }}' }, matchingColumns: [], schema: [] },
			...parameters,
		},
		credential,
	);
}

function flow(name: string, chain: NodeJson[]) {
	const path = `ask-${name.replace(/\W+/g, '-')}`;
	return (flows[name] = { ...webhookWorkflow(`Ask: ${name}`, path, chain, 'Appointment booked'), path });
}

/** Posts an appointment to a flow; → the execution it started, once it waits (or ended). One at a time: the newest execution is its. */
async function ask(name: string, phone: string, slot = 'Monday 10:00') {
	const before = new Set((await n8n.executions(flows[name].id)).map((e) => e.id));
	const response = await fetch(`${n8n.url}/webhook/${flows[name].path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ phone, slot }),
	});
	expect(response.status).toBe(200);
	for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
		const started = (await n8n.executions(flows[name].id)).find((e) => !before.has(e.id));
		if (started && !['new', 'running'].includes(started.status)) return started.id as string;
	}
	throw new Error(`no execution of ${name} began waiting`);
}

const status = async (executionId: string) => (await n8n.rest('GET', `/executions/${executionId}`)).body?.data?.status;
const messageTo = async (phone: string) => (await readBack(sandbox, tenant.id, 'messages')).filter((m) => m.to === phone).at(-1)!;
const waitEndpoints = async () =>
	((await control(sandbox, 'GET', `/tenants/${tenant.id}/webhooks`)).data as Array<Record<string, any>>).filter((e) =>
		String(e.description).startsWith(WAIT_ENDPOINT_PREFIX),
	);
const reply = (messageId: string, answer: Record<string, unknown>) =>
	control(sandbox, 'POST', `/tenants/${tenant.id}/messages/${messageId}/reply`, answer);

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	tenant = await createTenant(sandbox, { limits: { per_minute: 100_000, per_day: 1_000_000 } });
	for (const template of [QUESTION, NO_BUTTONS]) await control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, template);
	credential = lynkistCredential(tenant.key, sandbox.apiUrl);
	const readOnly = lynkistCredential(
		await createKey(sandbox, tenant.id, ['templates:read', 'messages:send', 'webhooks:read']),
		sandbox.apiUrl,
		'no webhooks:write',
	);
	flow('button', [askNode(credential)]);
	flow('text', [askNode(credential, { replyType: 'text' })]);
	flow('either', [askNode(credential, { replyType: 'either' })]);
	flow('no buttons', [askNode(credential, { template: { __rl: true, mode: 'name', value: NO_BUTTONS.template_name } })]);
	flow('no webhooks scope', [askNode(readOnly)]);
	flow('two items', [
		codeNode(
			'Two',
			'return [{ json: { body: { phone: "+15550100301", slot: "Mon" } } }, { json: { body: { phone: "+15550100302", slot: "Tue" } } }];',
		),
		askNode(credential),
	]);
	flow('opt-out', [askNode(credential, { options: { optOut: { rule: { field: 'opted_out', value: 'yes' } } } })]);
	flow('time limit', [
		askNode(credential, { limitWaitTime: true, limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' }),
	]);

	n8n = createN8n();
	await n8n.importCredentials([credential, readOnly]);
	await n8n.importWorkflows(Object.values(flows));
	await n8n.publish(Object.values(flows).map((f) => f.id));
	await n8n.start();
	await n8n.setupOwner();
	// n8n serves published webhooks once it has registered them, just after its editor is up
	for (const { path } of Object.values(flows)) {
		for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
			const answer = await fetch(`${n8n.url}/webhook/${path}`).then((r) => r.text());
			if (answer.includes('Did you mean to make a POST request')) break;
		}
	}
}, 240_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 60_000);

it('a button reply resumes the execution with the button chosen; its endpoint is removed; a second tap changes nothing', async () => {
	const executionId = await ask('button', '+15550100201');
	expect(await status(executionId)).toBe('waiting');
	const sent = await messageTo('+15550100201');
	// each quick-reply button carries a payload that names it
	expect(sent.components.filter((c: any) => c.type === 'button')).toEqual([
		{ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'lynkist-reply:0' }] },
		{ type: 'button', sub_type: 'quick_reply', index: '2', parameters: [{ type: 'payload', payload: 'lynkist-reply:2' }] },
	]);
	expect(await waitEndpoints()).toHaveLength(1);

	await reply(sent.message_id, { button: 2 });
	const done = await n8n.waitForExecution(executionId, 30_000);
	expect(done.raw.status).toBe('success');
	expect(done.items('Ask')).toEqual([
		expect.objectContaining({
			status: 'replied',
			timedOut: false,
			replyType: 'button',
			reply: 'No, cancel it',
			button: { index: 2, text: 'No, cancel it', payload: 'lynkist-reply:2' },
			from: '+15550100201',
			to: '+15550100201',
			messageId: sent.message_id,
			answersMessage: true,
		}),
	]);
	expect(await waitEndpoints()).toHaveLength(0);
	await reply(sent.message_id, { button: 0 });
	await sleep(1000);
	expect((await n8n.waitForExecution(executionId)).items('Ask')[0].reply).toBe('No, cancel it');
});

it('a text wait ignores other numbers, replies to other messages and button taps; the first text of the recipient resumes it', async () => {
	const other = await ask('button', '+15550100209');
	const otherMessage = await messageTo('+15550100209');
	const executionId = await ask('text', '+15550100202');
	const sent = await messageTo('+15550100202');
	await reply(sent.message_id, { text: 'Who is this?', from: '+15550100299', context: false }); // another number
	await reply(otherMessage.message_id, { text: 'wrong thread', from: '+15550100202' }); // answers another message
	await reply(sent.message_id, { button: 0 }); // a tap, not text
	await sleep(1500);
	expect(await status(executionId)).toBe('waiting');
	expect(await status(other)).toBe('waiting');

	await reply(sent.message_id, { text: 'Can we make it 11?', context: false });
	const done = await n8n.waitForExecution(executionId, 30_000);
	expect(done.items('Ask')[0]).toMatchObject({
		status: 'replied',
		replyType: 'text',
		reply: 'Can we make it 11?',
		button: null,
		answersMessage: false,
	});
	await reply(otherMessage.message_id, { button: 0 });
	expect((await n8n.waitForExecution(other, 30_000)).items('Ask')[0]).toMatchObject({ reply: 'Yes, I will come', button: { index: 0 } });
});

it('only a delivery Lynkist signed resumes it: forged requests to the resume URL are refused and it keeps waiting', async () => {
	const executionId = await ask('either', '+15550100203');
	const [endpoint] = await waitEndpoints();
	const sent = await messageTo('+15550100203');
	const body = JSON.stringify({
		id: 'evt_forged',
		type: 'message.received',
		data: { from: '+15550100203', text: 'yes', context: { message_id: sent.message_id } },
	});
	const headers = {
		'content-type': 'application/json',
		'x-lynkist-webhook-id': endpoint.id,
		'x-lynkist-timestamp': String(Math.floor(Date.now() / 1000)),
		'x-lynkist-signature': `sha256=${'0'.repeat(64)}`,
	};
	const forged = await fetch(endpoint.url, { method: 'POST', headers, body });
	expect(forged.status).toBe(401);
	const unsigned = await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
	expect(unsigned.status).toBe(401);
	await sleep(500);
	expect(await status(executionId)).toBe('waiting');
	await reply(sent.message_id, { text: 'yes' });
	expect((await n8n.waitForExecution(executionId, 30_000)).items('Ask')[0]).toMatchObject({ reply: 'yes', replyType: 'text' });
});

it('a message.failed of the question resumes it with the failure, not a wait until the limit', async () => {
	await control(sandbox, 'PATCH', `/tenants/${tenant.id}`, { failing_numbers: ['+15550100666'], lifecycle: { delivered_ms: 3000 } });
	const executionId = await ask('button', '+15550100666');
	const done = await n8n.waitForExecution(executionId, 30_000);
	expect(done.items('Ask')[0]).toMatchObject({ status: 'failed', timedOut: false, reply: null, error: { code: expect.any(Number) } });
	expect(await waitEndpoints()).toHaveLength(0);
});

it('before anything is sent: a template without quick-reply buttons for a button reply, a key that cannot register webhooks, two items', async () => {
	const sentBefore = (await readBack(sandbox, tenant.id, 'messages')).length;
	const errorOf = async (name: string, phone: string) => (await n8n.waitForExecution(await ask(name, phone))).error('Ask');
	expect((await errorOf('no buttons', '+15550100204'))?.message).toBe('Template plain_question (en) has no quick-reply buttons');
	expect((await errorOf('no webhooks scope', '+15550100205'))?.message).toMatch(/webhooks:write/);
	expect((await errorOf('two items', '+15550100206'))?.message).toBe(
		'Send and Wait for Reply messages one recipient per execution, and got 2 items',
	);
	expect(await readBack(sandbox, tenant.id, 'messages')).toHaveLength(sentBefore);
	expect(await waitEndpoints()).toHaveLength(0);
});

it('before anything is sent: an n8n whose address Lynkist cannot reach (plain http outside this machine)', async () => {
	const elsewhere = createN8n({ WEBHOOK_URL: 'http://n8n.internal.example:5678/' });
	try {
		const manual = manualWorkflow('ask from an unreachable n8n', [
			codeNode('Appointment', 'return [{ json: { body: { phone: "+15550100210", slot: "Mon" } } }];'),
			askNode(credential),
		]);
		await elsewhere.importCredentials([credential]);
		await elsewhere.importWorkflows([manual]);
		const sentBefore = (await readBack(sandbox, tenant.id, 'messages')).length;
		const execution = await elsewhere.execute(manual.id);
		expect(execution.error('Ask')?.message).toBe(
			"Lynkist only delivers replies to https:// addresses, and this n8n's address is http://n8n.internal.example:5678",
		);
		expect(await readBack(sandbox, tenant.id, 'messages')).toHaveLength(sentBefore);
		expect(await waitEndpoints()).toHaveLength(0);
	} finally {
		await elsewhere.dispose();
	}
});

it('Skip Opted-Out Recipients: an opted-out customer is not asked and nothing waits; another is asked', async () => {
	const api = (path: string, body: unknown) =>
		fetch(`${sandbox.apiUrl}${path}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const created = await api('/contacts', { first_name: 'Out', phone: '+15550100401', custom_fields: { opted_out: 'yes' } });
	const { id } = (await created.json()) as { id: string };
	const endpointsBefore = (await waitEndpoints()).length;
	const skipped = await n8n.waitForExecution(await ask('opt-out', '+15550100401'), 30_000);
	expect(skipped.raw.status).toBe('success');
	expect(skipped.items('Ask')).toEqual([
		{
			messageId: null,
			status: 'skipped',
			skipped: 'opted out',
			to: '+15550100401',
			templateName: QUESTION.template_name,
			language: QUESTION.language,
			contactId: id,
			optOutField: 'opted_out',
			replyType: 'button',
		},
	]);
	expect((await readBack(sandbox, tenant.id, 'messages')).filter((m) => m.to === '+15550100401')).toEqual([]);
	expect(await waitEndpoints()).toHaveLength(endpointsBefore);

	const asked = await ask('opt-out', '+15550100402');
	expect(await status(asked)).toBe('waiting');
	await reply((await messageTo('+15550100402')).message_id, { button: 0 });
	expect((await n8n.waitForExecution(asked, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied', reply: 'Yes, I will come' });
});

it('the template picker of a button reply lists only templates with quick-reply buttons', async () => {
	const search = async (replyType: string) => {
		const { status, body } = await n8n.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.template',
			nodeTypeAndVersion: { name: 'n8n-nodes-lynkist.lynkist', version: 1 },
			currentNodeParameters: {
				resource: 'message',
				operation: 'sendAndWait',
				replyType,
				template: { __rl: true, mode: 'list', value: '' },
			},
			methodName: replyType === 'button' ? 'searchQuickReplyTemplates' : 'searchTemplates',
			credentials: { lynkistApi: { id: credential.id, name: credential.name } },
			filter: '',
		});
		expect(status).toBe(200);
		return body.data.results.map((r: { name: string }) => r.name);
	};
	expect(await search('button')).toEqual(['confirm_appointment · en · UTILITY']);
	expect(await search('text')).toEqual(expect.arrayContaining(['confirm_appointment · en · UTILITY', 'plain_question · en · UTILITY']));
});

it('a wait stopped in n8n leaves an endpoint Lynkist disables once its deliveries fail; the next wait removes it', async () => {
	const stopped = await ask('either', '+15550100213');
	expect((await n8n.rest('POST', `/executions/${stopped}/stop`, {})).status).toBe(200);
	const [left] = await waitEndpoints();
	for (let i = 0; i < 20; i++)
		await control(sandbox, 'POST', `/tenants/${tenant.id}/inbound`, {
			from: '+15550100299',
			text: `hello ${i}`,
			retries: false,
			webhook_id: left.id,
		});
	expect((await waitEndpoints())[0]).toMatchObject({ id: left.id, is_active: false });
	const next = await ask('either', '+15550100214');
	expect((await waitEndpoints()).map((e) => e.description)).toEqual([expect.stringContaining(`execution ${next}`)]);
	await reply((await messageTo('+15550100214')).message_id, { text: 'ok' });
	await n8n.waitForExecution(next, 30_000);
});

it('on timeout the output says timedOut: true; the endpoint it leaves is removed by the next wait', async () => {
	const executionId = await ask('time limit', '+15550100207');
	const done = await n8n.waitForExecution(executionId, 150_000);
	expect(done.raw.status).toBe('success');
	expect(done.items('Ask')[0]).toMatchObject({ status: 'timedOut', timedOut: true, reply: null, to: '+15550100207' });
	expect(await waitEndpoints()).toHaveLength(1);
	const next = await ask('button', '+15550100208');
	expect((await waitEndpoints()).map((e) => e.description)).toEqual([expect.stringContaining(`execution ${next}`)]);
	await reply((await messageTo('+15550100208')).message_id, { button: 0 });
	await n8n.waitForExecution(next, 30_000);
}, 240_000);

it('two executions wait on two recipients; answers arriving at the same moment resume each with its own', async () => {
	const first = await ask('either', '+15550100211');
	const second = await ask('either', '+15550100212');
	const [toFirst, toSecond] = await Promise.all([messageTo('+15550100211'), messageTo('+15550100212')]);
	await Promise.all([reply(toFirst.message_id, { button: 2 }), reply(toSecond.message_id, { text: 'see you then' })]);
	const [a, b] = await Promise.all([n8n.waitForExecution(first, 30_000), n8n.waitForExecution(second, 30_000)]);
	expect(a.items('Ask')[0]).toMatchObject({ from: '+15550100211', reply: 'No, cancel it', button: { index: 2 } });
	expect(b.items('Ask')[0]).toMatchObject({ from: '+15550100212', reply: 'see you then', button: null });
});

it('50 executions wait on 50 recipients; their 50 answers, one after another, resume each with its own, none crossed', async () => {
	const phones = Array.from({ length: 50 }, (_, i) => `+1555020${String(1000 + i)}`);
	const ids: string[] = [];
	for (const [i, p] of phones.entries()) ids.push(await ask('either', p, `slot ${i}`));
	expect(await waitEndpoints()).toHaveLength(50);
	const started = Date.now();
	const deliveriesBefore = (await readBack(sandbox, tenant.id, 'deliveries')).length;
	for (const [i, p] of phones.entries())
		await reply((await messageTo(p)).message_id, i % 2 ? { button: i % 4 === 1 ? 0 : 2 } : { text: `answer ${i}` });
	const done = await Promise.all(ids.map((id) => n8n.waitForExecution(id, 120_000)));
	const seconds = (Date.now() - started) / 1000;
	const deliveries = await readBack(sandbox, tenant.id, 'deliveries');
	const fresh = deliveries.slice(deliveriesBefore);
	done.forEach((execution, i) => {
		const out = execution.items('Ask')[0];
		expect(out.from).toBe(phones[i]);
		if (i % 2) expect(out.button.index).toBe(i % 4 === 1 ? 0 : 2);
		else expect(out.reply).toBe(`answer ${i}`);
	});
	expect(await waitEndpoints()).toHaveLength(0);
	expect(fresh.filter((d) => !d.ok)).toHaveLength(0);
	console.log(
		`50 waiting executions, 50 answers one after another: all resumed with their own in ${seconds.toFixed(1)} s; ${fresh.length} deliveries (${fresh.filter((d) => !d.ok).length} not answered 2xx)`,
	);
}, 300_000);
