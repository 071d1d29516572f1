/**
 * Send and Wait for Reply run from the editor (a test run), in a running n8n against the sandbox,
 * which plays the customer: each appointment starts an execution that sends a question and waits
 * with a Lynkist endpoint of its own; the customer taps a button or types in WhatsApp; Lynkist's
 * signed message.received resumes exactly that execution. Published workflows share one endpoint
 * per node: replies.test.ts.
 */
import {
	appointmentDesk,
	askNode,
	codeNode,
	createN8n,
	lynkistCredential,
	manualWorkflow,
	N8n,
	NodeJson,
	NO_BUTTONS,
	QUESTION,
	webhookWorkflow,
	WorkflowJson,
	startN8n,
} from './harness';
import { control, createKey, createTenant, readBack, Sandbox, startSandbox } from './harness/sandbox';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
/** A Lynkist that answers only what its docs state (no delivery list, no `delivered` in a test delivery). */
let docs: { id: string; key: string };
let credential: ReturnType<typeof lynkistCredential>;
const flows: Record<string, WorkflowJson & { path: string }> = {};

function flow(name: string, chain: NodeJson[]) {
	const path = `ask-${name.replace(/\W+/g, '-')}`;
	return (flows[name] = { ...webhookWorkflow(`Ask: ${name}`, path, chain, 'Appointment booked'), path });
}

/**
 * Runs a flow from the editor with an appointment as its trigger's data (as "Execute workflow"
 * with the trigger's pinned data does); → the execution, once it waits (or ended).
 */
async function ask(name: string, phone: string, slot = 'Monday 10:00') {
	const data = { main: [[{ json: { body: { phone, slot } } }]] };
	const started = await n8n.rest('POST', `/workflows/${flows[name].id}/run`, {
		triggerToStartFrom: {
			name: 'Appointment booked',
			data: { startTime: Date.now(), executionTime: 0, executionIndex: 0, source: [], data },
		},
	});
	const executionId = started.body?.data?.executionId as string | undefined;
	if (!executionId) throw new Error(`could not run ${name}: ${started.status} ${JSON.stringify(started.body)}`);
	return await untilAsked(executionId);
}

const { status, untilAsked, messageTo, reply, waitEndpoints } = appointmentDesk(() => ({ sandbox, n8n, tenant }));
const endpointOf = async (executionId: string, t = tenant) =>
	(await waitEndpoints(t)).find((e) => String(e.description).includes(`execution ${executionId}`));

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
	docs = await createTenant(sandbox, { docs_only: true, limits: { per_minute: 100_000, per_day: 1_000_000 } });
	await control(sandbox, 'POST', `/tenants/${docs.id}/templates`, QUESTION);
	const docsCredential = lynkistCredential(docs.key, sandbox.apiUrl, 'docs-only Lynkist');
	flow('docs-only', [askNode(docsCredential, { replyType: 'either' })]);
	flow('time limit', [
		askNode(credential, { limitWaitTime: true, limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' }),
	]);

	n8n = await startN8n({ credentials: [credential, readOnly, docsCredential], workflows: Object.values(flows) });
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

it('50 executions wait on 50 recipients, from the 10th on with a hint saying what they cost; their 50 answers, one after another, resume each with its own, none crossed', async () => {
	const phones = Array.from({ length: 50 }, (_, i) => `+1555020${String(1000 + i)}`);
	const ids: string[] = [];
	for (const [i, p] of phones.entries()) ids.push(await ask('either', p, `slot ${i}`));
	expect(await waitEndpoints()).toHaveLength(50);
	const hints = async (i: number) => (await n8n.execution(ids[i])).runs('Ask')[0].hints?.map((h: { message: string }) => h.message) ?? [];
	expect(await hints(8)).toEqual([]);
	expect(await hints(49)).toEqual([
		"50 executions wait with Lynkist endpoints of their own (test runs from the editor, or waits a workflow's reply webhook could not record): every message any customer sends is delivered 50 times. In a published workflow a Send and Wait node's waits share one endpoint.",
	]);
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

it('the same appointment posted twice asks the customer once: the second execution ends at once naming the first, which waits; posted again after the answer, it ends as a duplicate too', async () => {
	const phone = '+15550100241';
	const sentTo = async () => (await readBack(sandbox, tenant.id, 'messages')).filter((m) => m.to === phone);
	const first = await ask('button', phone, 'Friday 9:00');
	const second = await n8n.waitForExecution(await ask('button', phone, 'Friday 9:00'), 30_000);
	expect(second.items('Ask')[0]).toMatchObject({
		status: 'duplicate',
		duplicateOf: first,
		messageId: null,
		to: phone,
		replyType: 'button',
	});
	expect(second.runs('Ask')[0].hints?.[0]?.message).toBe(
		`This question was already asked by execution ${first}, which waits for the answer: it was not asked again, and this execution does not wait.`,
	);
	expect(await status(first)).toBe('waiting');
	expect(await sentTo()).toHaveLength(1);
	expect((await waitEndpoints()).map((e) => e.description)).toEqual([expect.stringContaining(`execution ${first}`)]);

	const [question] = await sentTo();
	await reply(question.message_id, { button: 0 });
	expect((await n8n.waitForExecution(first, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied', button: { index: 0 } });
	const later = await n8n.waitForExecution(await ask('button', phone, 'Friday 9:00'), 30_000);
	expect(later.items('Ask')[0]).toMatchObject({ status: 'duplicate', duplicateOf: null, messageId: question.message_id });
	expect(await sentTo()).toHaveLength(1);
	expect(await waitEndpoints()).toEqual([]);

	// another slot is another question
	const other = await ask('button', phone, 'Friday 10:00');
	expect(await sentTo()).toHaveLength(2);
	await reply((await messageTo(phone)).message_id, { button: 2 });
	await n8n.waitForExecution(other, 30_000);
});

it("a secret rotated in the Lynkist dashboard while an execution waits: the wait renews it, and Lynkist's retry of the answer resumes it", async () => {
	await control(sandbox, 'PATCH', '/config', { time_scale: 0.0005 }); // Lynkist's retries after 30 ms, 150 ms, …
	try {
		const executionId = await ask('either', '+15550100251');
		const endpoint = (await endpointOf(executionId))!;
		await sleep(1100); // the rotation comes later than the registration, as in the dashboard
		const rotated = await fetch(`${sandbox.apiUrl}/webhooks/${endpoint.id}/rotate-secret`, {
			method: 'POST',
			headers: { authorization: `Bearer ${tenant.key}` },
		});
		expect(rotated.status).toBe(200);
		const before = (await readBack(sandbox, tenant.id, 'deliveries')).length;
		await reply((await messageTo('+15550100251')).message_id, { text: 'yes, after the rotation' });
		const done = await n8n.waitForExecution(executionId, 60_000);
		expect(done.items('Ask')[0]).toMatchObject({ status: 'replied', reply: 'yes, after the rotation' });
		const attempts = (await readBack(sandbox, tenant.id, 'deliveries')).slice(before).filter((d) => d.webhook_id === endpoint.id);
		expect(attempts.map((d) => d.status_code)).toEqual([401, 200]);
	} finally {
		await control(sandbox, 'PATCH', '/config', { time_scale: 1 });
	}
});

describe('against a Lynkist that is not the sandbox', () => {
	it('the same appointment posted twice while the first waits: the second ends at once naming the first; after the answer, a Lynkist that does not mark replays leaves the repost waiting', async () => {
		const phone = '+15550100242';
		const first = await ask('docs-only', phone, 'Friday 9:00');
		const second = await n8n.waitForExecution(await ask('docs-only', phone, 'Friday 9:00'), 30_000);
		expect(second.items('Ask')[0]).toMatchObject({ status: 'duplicate', duplicateOf: first });
		const [question] = (await readBack(sandbox, docs.id, 'messages')).filter((m) => m.to === phone);
		await reply(question.message_id, { text: 'yes' }, docs);
		await n8n.waitForExecution(first, 30_000);
		const repost = await ask('docs-only', phone, 'Friday 9:00');
		expect(await status(repost)).toBe('waiting');
		expect((await readBack(sandbox, docs.id, 'messages')).filter((m) => m.to === phone)).toHaveLength(1);
		await reply(question.message_id, { text: 'still yes' }, docs);
		expect((await n8n.waitForExecution(repost, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied', reply: 'still yes' });
	});

	it("a text without the reply context, stamped in the question's second or by a Lynkist clock 10 s behind, answers it", async () => {
		for (const [phone, behindMs] of [
			['+15550100231', 0],
			['+15550100232', 10_000],
		] as const) {
			const executionId = await ask('text', phone);
			const question = await messageTo(phone);
			const stamped = new Date(Math.floor((Date.parse(question.created_at) - behindMs) / 1000) * 1000).toISOString().replace('.000', '');
			await control(sandbox, 'POST', `/tenants/${tenant.id}/events`, {
				type: 'message.received',
				data: { from: phone, text: 'yes', timestamp: stamped },
				webhook_id: (await endpointOf(executionId))!.id,
			});
			expect((await n8n.waitForExecution(executionId, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied', reply: 'yes' });
		}
	});

	it("n8n away until Lynkist disables a waiting execution's endpoint: the next wait switches it back on, never deletes it; the missed answer is sent again where Lynkist can, else the next message resumes it", async () => {
		const away = await ask('either', '+15550100221');
		const awayDocs = await ask('docs-only', '+15550100222');
		const [endpoint, docsEndpoint] = [await endpointOf(away), await endpointOf(awayDocs, docs)];
		const port = Number(new URL(n8n.url).port);
		await n8n.stop();
		try {
			await reply((await messageTo('+15550100221')).message_id, { text: 'yes, I will come', retries: false });
			await reply((await messageTo('+15550100222', docs)).message_id, { text: 'the missed answer', retries: false }, docs);
			for (let i = 0; i < 19; i++)
				for (const [t, e] of [
					[tenant, endpoint],
					[docs, docsEndpoint],
				] as const)
					await control(sandbox, 'POST', `/tenants/${t.id}/inbound`, {
						from: '+15550100299',
						text: `hi ${i}`,
						retries: false,
						webhook_id: e!.id,
					});
		} finally {
			await n8n.start({ port });
		}
		expect(await endpointOf(away)).toMatchObject({ id: endpoint!.id, is_active: false });
		expect(await endpointOf(awayDocs, docs)).toMatchObject({ id: docsEndpoint!.id, is_active: false });

		const next = await ask('either', '+15550100223');
		const nextDocs = await ask('docs-only', '+15550100224');
		// Lynkist's delivery list: the answer it missed is sent again, and resumes the execution with it
		expect((await n8n.waitForExecution(away, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied', reply: 'yes, I will come' });
		// no delivery list: switched back on, still waiting, and the customer's next message resumes it
		expect(await endpointOf(awayDocs, docs)).toMatchObject({ id: docsEndpoint!.id, is_active: true });
		expect(await status(awayDocs)).toBe('waiting');
		await reply((await messageTo('+15550100222', docs)).message_id, { text: 'I said yes' }, docs);
		expect((await n8n.waitForExecution(awayDocs, 30_000)).items('Ask')[0]).toMatchObject({ status: 'replied', reply: 'I said yes' });

		await reply((await messageTo('+15550100223')).message_id, { text: 'ok' });
		await reply((await messageTo('+15550100224', docs)).message_id, { text: 'ok' }, docs);
		await Promise.all([n8n.waitForExecution(next, 30_000), n8n.waitForExecution(nextDocs, 30_000)]);
		expect([...(await waitEndpoints()), ...(await waitEndpoints(docs))]).toEqual([]);
	}, 300_000);

	it('waits stopped or deleted in n8n: the next wait removes their endpoints once a delivery failed there, before Lynkist disables them, past the first page of endpoints', async () => {
		const others: string[] = [];
		for (let i = 0; i < 21; i++) {
			const created = await fetch(`${sandbox.apiUrl}/webhooks`, {
				method: 'POST',
				headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
				body: JSON.stringify({ url: `https://hooks.example.com/other-${i}`, events: ['message.sent'], description: 'another app' }),
			});
			others.push(((await created.json()) as { data: { id: string } }).data.id);
		}
		const stopped = await ask('either', '+15550100225');
		const deleted = await ask('either', '+15550100226');
		expect((await n8n.rest('POST', `/executions/${stopped}/stop`, {})).status).toBe(200);
		expect((await n8n.rest('POST', '/executions/delete', { ids: [deleted] })).status).toBe(200);
		await control(sandbox, 'POST', `/tenants/${tenant.id}/inbound`, { from: '+15550100299', text: 'hello', retries: false });
		expect(await endpointOf(stopped)).toMatchObject({ is_active: true, consecutive_failures: 1 });
		expect(await endpointOf(deleted)).toMatchObject({ is_active: true, consecutive_failures: 1 });

		const next = await ask('either', '+15550100227');
		expect((await waitEndpoints()).map((e) => e.description)).toEqual([expect.stringContaining(`execution ${next}`)]);
		await reply((await messageTo('+15550100227')).message_id, { text: 'ok' });
		await n8n.waitForExecution(next, 30_000);
		for (const id of others)
			await fetch(`${sandbox.apiUrl}/webhooks/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${tenant.key}` } });
	}, 120_000);
});
