/**
 * Send Template inside a real n8n against the sandbox: mapping from earlier nodes, every
 * documented failure, retries that never send twice, and rate limits that lose nothing.
 */
import {
	codeNode,
	lynkistCredential,
	manualWorkflow,
	N8n,
	NodeJson,
	ORDER_VARIABLES,
	sendTemplateNode,
	WorkflowJson,
	startN8n,
} from './harness';
import { control, createKey, createTenant, PROMO_BANNER, readBack, Sandbox, seedTemplate, startSandbox } from './harness/sandbox';

let sandbox: Sandbox;
let n8n: N8n;

/** A tenant of its own for each scenario, so counts never mix. */
interface Scenario {
	tenant: { id: string; key: string };
	credential: Credential;
	templateId: string;
	workflow: WorkflowJson;
}

type Credential = ReturnType<typeof lynkistCredential>;

const variables = ORDER_VARIABLES;

/** Items `{ phone, name, order, total }` made by a Code node. */
function customers(count: number, phone = "'+1 (555) 010-' + String(1000 + i)"): NodeJson {
	return codeNode(
		'Customers',
		`return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: ${phone}, name: 'Customer ' + i, order: 'ORD-' + i, total: (10 + i) + ' EUR' } }));`,
	);
}

const send = sendTemplateNode;

const scenarios: Record<string, Scenario> = {};
const credentials: Credential[] = [];

/** Declares a scenario: its own tenant (with settings), the template, and a workflow. */
async function scenario(
	name: string,
	build: (credential: Credential, templateId: string) => NodeJson[],
	tenantSettings: Record<string, unknown> = {},
	key?: (tenant: { id: string; key: string }) => Promise<string>,
) {
	const tenant = await createTenant(sandbox, tenantSettings);
	const template = await seedTemplate(sandbox, tenant.id);
	const credential = lynkistCredential(key ? await key(tenant) : tenant.key, sandbox.apiUrl, `cred ${name}`);
	credentials.push(credential);
	scenarios[name] = { tenant, credential, templateId: template.id, workflow: manualWorkflow(name, build(credential, template.id)) };
}

const run = (name: string) => n8n.run(scenarios[name].workflow.id);
const messages = (name: string) => readBack(sandbox, scenarios[name].tenant.id, 'messages');
const requests = (name: string) => readBack(sandbox, scenarios[name].tenant.id, 'requests');
const fault = (name: string, body: Record<string, unknown>) =>
	control(sandbox, 'POST', `/tenants/${scenarios[name].tenant.id}/faults`, body);
const onError = { onError: 'continueRegularOutput' as const };

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	await scenario('one', (c, t) => [customers(1), send(c, t)]);
	await scenario('disabled event endpoint', (c, t) => [customers(1), send(c, t)]);
	await scenario('no disabled endpoint', (c, t) => [customers(1), send(c, t)]);
	await scenario('hundred', (c, t) => [customers(100), send(c, t)], { limits: { per_minute: 1000 } });
	await scenario('bad phone', (c, t) => [customers(3, "i === 1 ? '555-0100' : '+1555010' + (1000 + i)"), send(c, t, {}, onError)]);
	await scenario('bad phone, stop', (c, t) => [customers(3, "i === 1 ? '555-0100' : '+1555010' + (1000 + i)"), send(c, t)]);
	await scenario('validate only', (c, t) => [customers(2), send(c, t, { options: { validateOnly: true } })]);
	await scenario('lost response', (c, t) => [customers(1), send(c, t)]);
	await scenario('retry on fail', (c, t) => [
		customers(1),
		send(c, t, { options: { maxRetries: 0 } }, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 }),
	]);
	await scenario('upstream 502 then 504', (c, t) => [customers(1), send(c, t)]);
	await scenario('upstream down', (c, t) => [customers(1), send(c, t, { options: { maxRetries: 1 } }, onError)]);
	await scenario(
		'bad key',
		(c, t) => [customers(1), send(c, t, {}, onError)],
		{},
		async () => 'lk_sk_test_' + '0'.repeat(40),
	);
	await scenario(
		'no send scope',
		(c, t) => [customers(1), send(c, t, {}, onError)],
		{},
		(tn) => createKey(sandbox, tn.id, ['templates:read']),
	);
	await scenario('no api plan', (c, t) => [customers(1), send(c, t, {}, onError)], { api_enabled: false });
	await scenario('no waba', (c, t) => [customers(1), send(c, t, {}, onError)], { waba_active: false });
	await scenario('server 422', (c, t) => [
		customers(1),
		send(
			c,
			t,
			{
				variablesMode: 'json',
				componentsJson: JSON.stringify([
					{ type: 'header', parameters: [{ type: 'text', text: 'x' }] },
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'a' },
							{ type: 'text', text: 'b' },
							{ type: 'sticker', sticker: 'c' },
						],
					},
					{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'x' }] },
				]),
			},
			onError,
		),
	]);
	await scenario('server 400', (c, t) => [customers(1), send(c, t, {}, onError)]);
	await scenario('json mismatch', (c, t) => [
		customers(1),
		send(c, t, { variablesMode: 'json', componentsJson: '[{"type":"body","parameters":[]}]' }, onError),
	]);
	await scenario('missing variable', (c, t) => [
		customers(1),
		send(c, t, { variables: { ...variables, value: { ...variables.value, body_3: '' } } }, onError),
	]);
	await scenario('by name', (c) => [customers(1), send(c, '', { template: { __rl: true, mode: 'name', value: 'order_confirmation' } })]);
	await scenario('wrong language', (c, t) => [customers(1), send(c, t, { language: 'en' }, onError)]);
	const amounts = codeNode(
		'Customers',
		`return [0, 1].map((i) => ({ json: { phone: '+1555010' + (2000 + i), name: 'Customer ' + i, order: 'ORD-' + i, amount: 12.5 + i } }));`,
	);
	const withValues = (value: Record<string, string>) => ({
		variables: { ...variables, value },
		options: { idempotencyKey: '={{ "order-" + $json.order }}' },
	});
	await scenario('whole-value expressions', (c, t) => [
		amounts,
		send(
			c,
			t,
			withValues({
				header_1: '={{ $json.order }}',
				body_1: '={{ $json.name // the name\n}}',
				body_2: '={{ String($json.amount) }}',
				body_3: 'the same for all',
				button_0_url: "={{ $('Customers').item.json.order }}",
			}),
		),
	]);
	await scenario('text and numbers', (c, t) => [
		amounts,
		send(
			c,
			t,
			withValues({
				header_1: '=Order {{ $json.order }}',
				body_1: '={{ $json.name }}',
				body_2: '={{ $json.amount }}',
				body_3: 'the same for all',
				button_0_url: '={{ $json.order }}',
			}),
		),
	]);
	await scenario('expression error', (c, t) => [customers(2), send(c, t, { to: '={{ $json.phone ) }}' }, onError)]);
	await scenario('rate limited', (c, t) => [customers(150), send(c, t)], { limits: { per_minute: 60, minute_window_ms: 2000 } });
	await scenario('daily budget', (c, t) => [customers(8), send(c, t, {}, onError)], { limits: { per_day: 6 } });

	const banner = async (name: string, mime: string, tenantSettings = {}) => {
		const tenant = await createTenant(sandbox, tenantSettings);
		const template = await seedTemplate(sandbox, tenant.id, PROMO_BANNER);
		const credential = lynkistCredential(tenant.key, sandbox.apiUrl, `cred ${name}`);
		credentials.push(credential);
		const images = codeNode(
			'Customers',
			`const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
return [0, 1].map((i) => ({ json: { phone: '+1555010' + (1000 + i), name: 'Customer ' + i }, binary: { banner: { data: png, mimeType: '${mime}', fileName: 'banner.png' } } }));`,
		);
		const sendBanner = send(
			credential,
			template.id,
			{
				variables: { mappingMode: 'defineBelow', value: { body_1: '={{ $json.name }}' }, matchingColumns: [], schema: [] },
				options: { headerMediaBinary: 'banner' },
			},
			onError,
		);
		scenarios[name] = { tenant, credential, templateId: template.id, workflow: manualWorkflow(name, [images, sendBanner]) };
	};
	await banner('media from binary', 'image/png');
	await banner('media too large', 'image/png', { media_limits: { image: 10 } });
	await banner('media wrong type', 'application/pdf');

	n8n = await startN8n({ credentials, workflows: Object.values(scenarios).map((s) => s.workflow) });
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

it('the editor shows one required field per template variable, named after where it lands', async () => {
	const { credential, templateId } = scenarios.one;
	const { status, body } = await n8n.rest('POST', '/dynamic-node-parameters/resource-mapper-fields', {
		path: 'parameters.variables',
		nodeTypeAndVersion: { name: 'n8n-nodes-lynkist.lynkist', version: 1 },
		methodName: 'getTemplateVariables',
		currentNodeParameters: {
			resource: 'message',
			operation: 'sendTemplate',
			template: { __rl: true, mode: 'id', value: templateId },
			language: '',
			variablesMode: 'fields',
		},
		credentials: { lynkistApi: { id: credential.id, name: credential.name } },
	});
	expect(status).toBe(200);
	expect(body.data.fields.map((f: { id: string; displayName: string; required: boolean }) => [f.id, f.displayName, f.required])).toEqual([
		['header_1', 'Header {{1}}', true],
		['body_1', 'Body {{1}}', true],
		['body_2', 'Body {{2}}', true],
		['body_3', 'Body {{3}}', true],
		['button_0_url', 'Button 1 URL suffix', true],
	]);
});

it('sends one item: normalised number, mapped variables, the output says what was accepted', async () => {
	const execution = await run('one');
	const [out] = execution.items('Send');
	expect(out).toMatchObject({
		messageId: expect.stringMatching(/^wamid\./),
		status: 'accepted',
		to: '+15550101000',
		templateName: 'order_confirmation',
		language: 'en_US',
		replayed: false,
		idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
		requestId: expect.stringMatching(/^req_/),
	});
	const [message] = await messages('one');
	expect(message).toMatchObject({ message_id: out.messageId, to: '+15550101000', idempotency_key: out.idempotencyKey });
	expect(Object.keys(out).sort()).toEqual([
		'idempotencyKey',
		'language',
		'messageId',
		'replayed',
		'requestId',
		'status',
		'templateName',
		'to',
	]);
	expect(message.components).toEqual([
		{ type: 'header', parameters: [{ type: 'text', text: 'ORD-0' }] },
		{
			type: 'body',
			parameters: [
				{ type: 'text', text: 'Customer 0' },
				{ type: 'text', text: 'ORD-0' },
				{ type: 'text', text: '10 EUR' },
			],
		},
		{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'ORD-0' }] },
	]);
});

it("a Lynkist Trigger endpoint Lynkist disabled after failures is switched back on by the next send, and the editor says so; others' endpoints are left alone", async () => {
	expect((await run('no disabled endpoint')).runs('Send')[0].hints ?? []).toEqual([]);
	const { key } = scenarios['disabled event endpoint'].tenant;
	const endpoint = async (body: Record<string, unknown>) =>
		(
			(await (
				await fetch(`${sandbox.apiUrl}/webhooks`, {
					method: 'POST',
					headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
					body: JSON.stringify(body),
				})
			).json()) as { data: { id: string } }
		).data.id;
	const url = 'https://n8n.example.com/webhook/0b8c/webhook';
	const ours = await endpoint({
		url,
		events: ['message.delivered', 'message.read'],
		active: false,
		description: 'n8n: Order events (production URL)',
	});
	const theirs = await endpoint({
		url: 'https://crm.example.com/hooks/lynkist',
		events: ['message.read'],
		active: false,
		description: 'CRM sync',
	});
	const execution = await run('disabled event endpoint');
	expect(execution.items('Send')[0].status).toBe('accepted');
	expect(execution.runs('Send')[0].hints?.map((h: { message: string }) => h.message)).toEqual([
		`Lynkist had stopped sending message events to ${url} after repeated failed deliveries. It was switched back on, and its 0 missed deliveries were sent again. If n8n is still unreachable there, Lynkist will stop again.`,
	]);
	const all = (
		await control<{ data: Array<{ id: string; is_active: boolean }> }>(
			sandbox,
			'GET',
			`/tenants/${scenarios['disabled event endpoint'].tenant.id}/webhooks`,
		)
	).data;
	expect(all.find((e) => e.id === ours)?.is_active).toBe(true);
	expect(all.find((e) => e.id === theirs)?.is_active).toBe(false);
});

it('sends 100 items mapped by expressions, output in input order and paired', async () => {
	const execution = await run('hundred');
	const out = execution.outputItems('Send');
	expect(out).toHaveLength(100);
	out.forEach((item, i) => {
		expect(item.pairedItem).toEqual({ item: i });
		expect(item.json.to).toBe(`+1555010${1000 + i}`);
	});
	const sent = await messages('hundred');
	expect(sent).toHaveLength(100);
	expect(new Set(sent.map((m) => m.to)).size).toBe(100);
});

it('a number without a country code fails only its item, before any request, and says why', async () => {
	const out = (await run('bad phone')).items('Send');
	expect(out).toHaveLength(3);
	expect(out[1].error).toBe(
		'"To" of item 2 "555-0100" has no country code: write it as + then the country code and the number, e.g. +919999999999',
	);
	expect(out[0].messageId).toBeDefined();
	expect(out[2].messageId).toBeDefined();
	expect((await requests('bad phone')).filter((r) => r.path.endsWith('/messages/template'))).toHaveLength(2);
});

it('without continue on fail the same item stops the node with that message, before any item is sent', async () => {
	const error = (await run('bad phone, stop')).error('Send');
	expect(error?.message).toMatch(/"To" of item 2 "555-0100" has no country code/);
	expect(await messages('bad phone, stop')).toHaveLength(0);
});

it('Validate Only resolves and checks everything, outputs the exact request and sends nothing', async () => {
	const out = (await run('validate only')).items('Send');
	expect(out[0]).toMatchObject({
		validateOnly: true,
		request: {
			method: 'POST',
			path: '/messages/template',
			headers: { 'Idempotency-Key': expect.any(String) },
			body: { to: '+15550101000', template_name: 'order_confirmation', language: 'en_US', components: expect.any(Array) },
		},
	});
	expect(await messages('validate only')).toHaveLength(0);
});

it('a response lost after Lynkist committed the message: the retry replays, one message exists', async () => {
	await fault('lost response', { kind: 'lost_response', method: 'POST', path: '/messages/template' });
	const [out] = (await run('lost response')).items('Send');
	expect(out.status).toBe('accepted');
	expect(await messages('lost response')).toHaveLength(1);
	expect(await readBack(sandbox, scenarios['lost response'].tenant.id, 'replays')).toHaveLength(1);
});

it("n8n's own Retry On Fail re-runs the node with the same key: nothing is sent twice", async () => {
	await fault('retry on fail', { kind: 'lost_response', method: 'POST', path: '/messages/template' });
	const [out] = (await run('retry on fail')).items('Send');
	expect(out.status).toBe('accepted');
	expect(await messages('retry on fail')).toHaveLength(1);
	expect(await readBack(sandbox, scenarios['retry on fail'].tenant.id, 'replays')).toHaveLength(1);
});

it('502 and 504 are retried with the same key and then succeed', async () => {
	await fault('upstream 502 then 504', { kind: 'status', status: 502, path: '/messages/template' });
	await fault('upstream 502 then 504', { kind: 'status', status: 504, path: '/messages/template' });
	const [out] = (await run('upstream 502 then 504')).items('Send');
	expect(out.status).toBe('accepted');
	const sends = (await requests('upstream 502 then 504')).filter((r) => r.path.endsWith('/messages/template'));
	expect(sends.map((r) => r.status)).toEqual([502, 504, 200]);
	expect(new Set(sends.map((r) => r.idempotency_key)).size).toBe(1);
});

it('an upstream that stays down fails the item after Max Retries with the status and request id', async () => {
	await fault('upstream down', { kind: 'status', status: 502, path: '/messages/template', times: 5 });
	const [out] = (await run('upstream down')).items('Send');
	expect(out).toMatchObject({
		error: expect.stringMatching(/upstream problem \(502\)/),
		httpCode: '502',
		requestId: expect.stringMatching(/^req_/),
	});
	expect(await messages('upstream down')).toHaveLength(0);
});

it.each([
	['bad key', '401', /rejected the API key \(invalid or revoked\)/, /Lynkist API credential/],
	['no send scope', '403', /missing the scope messages:send/, /Create a key with messages:send/],
	['no api plan', '403', /plan does not include API access/, /Enable API access/],
	['no waba', '404', /No active WhatsApp Business Account/, /Connect a WhatsApp Business Account in the Lynkist dashboard/],
])('%s: the error item says what to do', async (name, httpCode, message, description) => {
	const [out] = (await run(name)).items('Send');
	expect(out).toMatchObject({ error: expect.stringMatching(message), description: expect.stringMatching(description), httpCode });
});

it("422 from Lynkist shows Lynkist's own detail", async () => {
	const [out] = (await run('server 422')).items('Send');
	expect(out.httpCode).toBe('422');
	expect(out.error).toMatch(/^Lynkist could not accept the request: components\.1\.parameters\.2\.type: /);
});

it("400 from Lynkist shows Lynkist's detail and is not retried", async () => {
	await fault('server 400', { kind: 'status', status: 400, detail: "Field 'to' must be E.164", path: '/messages/template' });
	const [out] = (await run('server 400')).items('Send');
	expect(out).toMatchObject({ httpCode: '400', error: "Lynkist rejected the request: Field 'to' must be E.164" });
	expect((await requests('server 400')).filter((r) => r.path.endsWith('/messages/template'))).toHaveLength(1);
});

it('components that do not fit the template, or a missing variable, are caught before sending', async () => {
	const [json] = (await run('json mismatch')).items('Send');
	expect(json.error).toMatch(
		/does not fit template order_confirmation \(en_US\): header needs 1 parameter, got 0; body needs 3 parameters, got 0/,
	);
	const [missing] = (await run('missing variable')).items('Send');
	expect(missing.error).toBe('Variables of item 1 do not fit template order_confirmation (en_US): "Body {{3}}" has no value');
	expect(await messages('json mismatch')).toHaveLength(0);
	expect(await messages('missing variable')).toHaveLength(0);
});

it.each([
	['whole-value expressions (with a comment, another node, a conversion)', 'whole-value expressions', 'ORD-1'],
	['text around {{ }} and a number', 'text and numbers', 'Order ORD-1'],
])('fields written as %s send what n8n itself resolves', async (_, name, header) => {
	const out = (await run(name)).items('Send');
	expect(out.map((o) => o.customIdempotencyKey)).toEqual(['order-ORD-0', 'order-ORD-1']);
	for (const o of out) expect(o.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	const sent = (await messages(name)).sort((a, b) => String(a.to).localeCompare(String(b.to)));
	expect(sent.map((m) => m.to)).toEqual(['+15550102000', '+15550102001']);
	expect(sent[1].components).toEqual([
		{ type: 'header', parameters: [{ type: 'text', text: header }] },
		{
			type: 'body',
			parameters: [
				{ type: 'text', text: 'Customer 1' },
				{ type: 'text', text: '13.5' },
				{ type: 'text', text: 'the same for all' },
			],
		},
		{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'ORD-1' }] },
	]);
});

it("an expression that does not parse fails each item with n8n's own message, and nothing is sent", async () => {
	const out = (await run('expression error')).items('Send');
	expect(out).toHaveLength(2);
	for (const item of out) expect(item.error).toMatch(/invalid syntax/i);
	expect(await messages('expression error')).toHaveLength(0);
});

it('finds the template by name, and catches a language that is not approved before sending', async () => {
	expect((await run('by name')).items('Send')[0].status).toBe('accepted');
	const [wrong] = (await run('wrong language')).items('Send');
	expect(wrong.error).toBe('Template "order_confirmation" has no approved "en" version');
	expect(await messages('wrong language')).toHaveLength(0);
});

it('a tight rate limit (60 per 2 s window): every item is sent, none fails, none twice, and it paces itself instead of running into 429s', async () => {
	const out = (await run('rate limited')).items('Send');
	expect(out.filter((o) => o.status === 'accepted')).toHaveLength(150);
	const sent = await messages('rate limited');
	expect(sent).toHaveLength(150);
	expect(new Set(sent.map((m) => m.idempotency_key)).size).toBe(150);
	const throttled = (await requests('rate limited')).filter((r) => r.path.endsWith('/messages/template') && r.status === 429);
	expect(throttled.length).toBeLessThanOrEqual(2);
});

it('an exhausted daily budget fails the rest at once, naming the reset time', async () => {
	const out = (await run('daily budget')).items('Send');
	expect(out.filter((o) => o.status === 'accepted')).toHaveLength(5);
	const failed = out.filter((o) => o.error);
	expect(failed).toHaveLength(3);
	expect(failed[0].error).toMatch(/daily limit of 6 requests is used up; it resets at \d{4}-\d\d-\d\dT/);
	const sends = (await requests('daily budget')).filter((r) => r.path.endsWith('/messages/template'));
	expect(sends.filter((r) => r.status === 429).length).toBeLessThanOrEqual(10);
});

it('header media from an input binary is uploaded once and sent as the header link', async () => {
	const out = (await run('media from binary')).items('Send');
	expect(out.map((o) => o.status)).toEqual(['accepted', 'accepted']);
	const media = await readBack(sandbox, scenarios['media from binary'].tenant.id, 'media');
	expect(media).toHaveLength(1);
	const sent = await messages('media from binary');
	expect(sent.map((m) => m.components[0])).toEqual(
		[0, 1].map(() => ({ type: 'header', parameters: [{ type: 'image', image: { link: media[0].public_url } }] })),
	);
	const file = await fetch(media[0].public_url);
	expect(file.headers.get('content-type')).toBe('image/png');
});

it('an upload over the size limit, or of the wrong kind, fails the item with the reason', async () => {
	const [tooLarge] = (await run('media too large')).items('Send');
	expect(tooLarge).toMatchObject({ httpCode: '413', detail: expect.stringMatching(/File too large: images are limited to 10 bytes/) });
	const [wrongType] = (await run('media wrong type')).items('Send');
	expect(wrongType.error).toBe('Binary "banner" of item 1 is application/pdf, but the template\'s header is a image');
	expect(await messages('media too large')).toHaveLength(0);
	expect(await messages('media wrong type')).toHaveLength(0);
});
