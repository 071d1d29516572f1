/**
 * The Template resource inside a real n8n against the local Lynkist sandbox: Create (builder and
 * JSON, checked before any request; a media header's sample from binary data or a link, uploaded
 * through Lynkist's template media session), Submit with and without waiting for the review, Get,
 * the template picker, and Get Many with filters over Lynkist's pages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	codeNode,
	createParams,
	lynkistCredential,
	lynkistNode,
	manualWorkflow,
	N8n,
	NodeJson,
	rl,
	WorkflowJson,
	startN8n,
} from './harness';
import { control, createKey, createTenant, Sandbox, startSandbox } from './harness/sandbox';

const GENERATED = 250;
const LIMITS = [7, 100, 101, 150, 250];
const REVIEW_DELAY_MS = 3000;
const FAST_LIMITS = { limits: { per_minute: 1000, per_day: 100000 } };

let sandbox: Sandbox;
let n8n: N8n;
let tenant: { id: string; key: string };
let quietTenant: { id: string; key: string };
let credential: ReturnType<typeof lynkistCredential>;
let seeded: { draft: string; approved: string };
const workflows: Record<string, WorkflowJson> = {};

/** A 1×1 PNG, and a small PDF, served as header samples by a local file server (`samples`). */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const FILES: Record<string, { type: string; data: Buffer }> = {
	'/brochure.pdf': { type: 'application/pdf', data: PDF },
	'/banner.png': { type: 'image/png', data: Buffer.from(PNG_BASE64, 'base64') },
};
let samples: Server;
let samplesUrl: string;
const downloads: string[] = [];

/** Builder mistakes, each with the reason the node must give before sending anything. */
const INVALID: Array<[string, Record<string, unknown>, RegExp]> = [
	[
		'name',
		{ templateName: 'Order Update' },
		/Name: "Order Update" may contain only lowercase letters, digits and underscores — e.g. order_update/,
	],
	['long name', { templateName: 'a'.repeat(256) }, /Name: 256 characters, at most 255/],
	// As an expression: a literal code is already refused by n8n's own check of the Code field.
	[
		'language',
		{ language: rl('={{ "en-US" }}', 'code') },
		/Language: "en-US" is not a WhatsApp locale code — pick one from the list or type a code like en_US/,
	],
	[
		'gap',
		{ bodyText: 'Hi {{1}}, order {{3}}' },
		/Body: placeholders must be numbered from \{\{1\}\} without gaps, found \{\{1\}\}, \{\{3\}\}/,
	],
	['examples', { bodyExamples: { example: [{ value: 'Ana' }] } }, /Body: 2 placeholder\(s\) need 2 example value\(s\)/],
	['header example', { headerType: 'text', headerText: 'Order {{1}}' }, /Header: 1 placeholder\(s\) need 1 example value/],
	['media example', { headerType: 'image' }, /Header: the IMAGE header needs a sample image for Meta's reviewers/],
	[
		'media binary',
		{ headerType: 'video', headerSample: 'binary', headerSampleBinary: '' },
		/Header: the VIDEO header needs a sample video/,
	],
	['footer', { footerText: 'Bye {{1}}' }, /Footer: placeholders are not allowed here/],
	[
		'url',
		{ buttons: { button: [{ type: 'url', text: 'Track', url: 'https://shop.example.com/{{1}}/view', urlSuffixExample: '1' }] } },
		/the dynamic part \{\{1\}\} must be at the very end of the URL/,
	],
	[
		'url buttons',
		{ buttons: { button: [1, 2, 3].map((i) => ({ type: 'url', text: `Link ${i}`, url: 'https://shop.example.com' })) } },
		/Buttons: 3 URL buttons, at most 2 allowed/,
	],
	[
		'copy code',
		{ buttons: { button: [{ type: 'copyCode', text: 'Copy code' }] } },
		/the one-time-password Copy Code button \(OTP\) is for AUTHENTICATION templates/,
	],
	[
		'auth',
		{ category: 'AUTHENTICATION', bodyText: 'Your code is {{1}}', bodyExamples: { example: [{ value: '1' }] } },
		/AUTHENTICATION template needs the one-time-password Copy Code button/,
	],
	[
		'offer code',
		{ buttons: { button: [{ type: 'couponCode', couponExample: 'SUMMER20' }] } },
		/the Copy Offer Code button \(COPY_CODE\) is for MARKETING templates/,
	],
	[
		'json',
		{ componentsMode: 'json', componentsJson: '[{"type": "BODY", "text": "Hi {{1}}"}]' },
		/Body: 1 placeholder\(s\) need 1 example.*example\.body_text/,
	],
	['json syntax', { componentsMode: 'json', componentsJson: '[{"type": "BODY",' }, /Components \(JSON\) is not valid JSON/],
];

beforeAll(async () => {
	samples = createServer((req, res) => {
		downloads.push(req.url ?? '');
		const file = FILES[req.url ?? ''];
		res.writeHead(file ? 200 : 404, { 'Content-Type': file?.type ?? 'text/plain' });
		res.end(file?.data ?? 'Not found');
	});
	await new Promise<void>((resolve) => samples.listen(0, '127.0.0.1', resolve));
	samplesUrl = `http://127.0.0.1:${(samples.address() as AddressInfo).port}`;
	sandbox = await startSandbox({ port: 0 });
	tenant = await createTenant(sandbox, { ...FAST_LIMITS, review: { delay_ms: REVIEW_DELAY_MS, outcome: 'approved' } });
	quietTenant = await createTenant(sandbox);
	await control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, { generate: GENERATED });
	await control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, {
		generate: 3,
		name_prefix: 'promo',
		language: 'es',
		category: 'MARKETING',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Hola {{1}}' },
			{ type: 'BODY', text: '{{1}} y {{2}}' },
		],
	});
	const existing = { language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello' }] };
	const [draft, approved] = await Promise.all([
		control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, { template_name: 'still_draft', status: 'draft', ...existing }),
		control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, { template_name: 'taken_name', ...existing }),
	]);
	seeded = { draft: draft.data[0].id, approved: approved.data[0].id };
	await control(sandbox, 'PUT', `/tenants/${tenant.id}/review-outcomes/rejected_then_returned`, { outcome: 'rejected' });
	await control(sandbox, 'PUT', `/tenants/${tenant.id}/review-outcomes/rejected_then_failed`, { outcome: 'rejected' });

	credential = lynkistCredential(tenant.key, sandbox.apiUrl);
	const quietCredential = lynkistCredential(quietTenant.key, sandbox.apiUrl, 'quiet');
	const templatesOnly = await createKey(sandbox, tenant.id, ['templates:read', 'templates:write']);
	const noMediaCredential = lynkistCredential(templatesOnly, sandbox.apiUrl, 'templates only');
	const lynkist = (name: string, params: Record<string, unknown>, extra: Partial<NodeJson> = {}) =>
		lynkistNode(name, params, credential, extra);
	const continueOnFail = { onError: 'continueRegularOutput' as const };
	const submit = (name: string, params: Record<string, unknown>, extra: Partial<NodeJson> = {}) =>
		lynkist(name, { resource: 'template', operation: 'submit', templateId: '={{ $json.id }}', ...params }, extra);
	const list = (params: Record<string, unknown>) => lynkist('List', { resource: 'template', operation: 'getAll', ...params });

	Object.assign(workflows, {
		invalid: manualWorkflow(
			'invalid builder input',
			...INVALID.map(([name, params]) => [
				lynkistNode(`Invalid ${name}`, createParams('valid_name', params), quietCredential, continueOnFail),
			]),
		),
		duplicate: manualWorkflow('duplicate', [lynkist('Create', createParams('taken_name'), continueOnFail)]),
		createJson: manualWorkflow('create from JSON', [
			lynkist(
				'Create',
				createParams('from_json', {
					componentsMode: 'json',
					category: 'MARKETING',
					language: rl('pt_BR', 'code'),
					componentsJson: JSON.stringify([
						{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [`${samplesUrl}/banner.png`] } },
						{ type: 'BODY', text: 'Oi {{1}}', example: { body_text: [['Ana']] } },
						{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Quero' }] },
					]),
				}),
			),
		]),
		mediaFromBinary: manualWorkflow(
			'media header samples from binary data',
			[
				codeNode(
					'Banners',
					`return [1, 2].map((n) => ({ json: { n }, binary: { banner: { data: '${PNG_BASE64}', mimeType: 'image/png', fileName: 'banner.png' } } }));`,
				),
				lynkist(
					'Create',
					createParams('={{ "banner_binary_" + $json.n }}', {
						category: 'MARKETING',
						headerType: 'image',
						headerSample: 'binary',
						headerSampleBinary: 'banner',
					}),
				),
			],
			[
				codeNode(
					'Banner',
					`return [{ json: {}, binary: { banner: { data: '${PNG_BASE64}', mimeType: 'image/png', fileName: 'banner.png' } } }];`,
				),
				lynkist(
					'Create JSON',
					createParams('banner_binary_json', {
						componentsMode: 'json',
						category: 'MARKETING',
						headerSampleBinary: 'banner',
						componentsJson: JSON.stringify([
							{ type: 'HEADER', format: 'IMAGE' },
							{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['Ana']] } },
						]),
					}),
				),
			],
		),
		mediaFromLink: manualWorkflow('media header sample from a link', [
			lynkist(
				'Create',
				createParams('invoice_from_link', {
					headerType: 'document',
					headerSample: 'link',
					headerMediaExample: `${samplesUrl}/brochure.pdf`,
				}),
			),
		]),
		mediaBadLink: manualWorkflow(
			'media header sample links that fail',
			[
				lynkist(
					'Missing',
					createParams('banner_missing', { category: 'MARKETING', headerType: 'image', headerMediaExample: `${samplesUrl}/missing.png` }),
					continueOnFail,
				),
			],
			[
				lynkistNode(
					'No media scope',
					createParams('banner_no_scope', { category: 'MARKETING', headerType: 'image', headerMediaExample: `${samplesUrl}/banner.png` }),
					noMediaCredential,
					continueOnFail,
				),
			],
			[
				lynkist(
					'Wrong kind',
					createParams('banner_wrong_kind', { category: 'MARKETING', headerType: 'video', headerMediaExample: `${samplesUrl}/banner.png` }),
					continueOnFail,
				),
			],
		),
		createAndSubmit: manualWorkflow('create and submit', [lynkist('Create', createParams('submitted_now', { submitForApproval: true }))]),
		approved: manualWorkflow('create, submit, wait for approval', [
			lynkist(
				'Create',
				createParams('shipping_notice', {
					headerType: 'text',
					headerText: 'Order {{1}}',
					headerTextExample: '#1042',
					footerText: 'Reply STOP to opt out',
					buttons: {
						button: [
							{ type: 'url', text: 'Track', url: 'https://shop.example.com/orders/{{1}}', urlSuffixExample: '1042' },
							{ type: 'phoneNumber', text: 'Call us', phoneNumber: '+15551234567' },
						],
					},
				}),
			),
			submit('Submit', { waitForApproval: true, approvalTimeout: 30 }),
			lynkist('Send', {
				resource: 'message',
				operation: 'sendTemplate',
				to: '+1 (555) 010-0100',
				template: rl('={{ $json.id }}', 'id'),
				variablesMode: 'fields',
				variables: {
					mappingMode: 'defineBelow',
					value: { header_1: '#1042', body_1: 'Ana', body_2: '1042', button_0_url: '1042' },
					matchingColumns: [],
					schema: [],
				},
			}),
		]),
		loginCode: manualWorkflow('login code: create, submit, send', [
			lynkist(
				'Create',
				createParams('login_code_e2e', {
					category: 'AUTHENTICATION',
					bodyText: '{{1}} is your verification code.',
					bodyExamples: { example: [{ value: '123456' }] },
					buttons: { button: [{ type: 'copyCode' }] },
				}),
			),
			submit('Submit', { waitForApproval: true, approvalTimeout: 30 }),
			lynkist('Send', {
				resource: 'message',
				operation: 'sendTemplate',
				to: '+1 555 010 0200',
				template: rl('={{ $json.id }}', 'id'),
				variablesMode: 'fields',
				variables: { mappingMode: 'defineBelow', value: { body_1: '482913' }, matchingColumns: [], schema: [] },
			}),
		]),
		offerCode: manualWorkflow('offer code: create, submit, send', [
			lynkist(
				'Create',
				createParams('summer_offer_e2e', {
					category: 'MARKETING',
					bodyText: 'Hi {{1}}, 20% off with the code below.',
					bodyExamples: { example: [{ value: 'Ana' }] },
					buttons: { button: [{ type: 'couponCode', couponExample: 'SUMMER20' }] },
				}),
			),
			submit('Submit', { waitForApproval: true, approvalTimeout: 30 }),
			lynkist('Send', {
				resource: 'message',
				operation: 'sendTemplate',
				to: '+1 555 010 0201',
				template: rl('={{ $json.id }}', 'id'),
				variablesMode: 'fields',
				variables: { mappingMode: 'defineBelow', value: { body_1: 'Ana', button_0_code: 'ANA20' }, matchingColumns: [], schema: [] },
			}),
		]),
		rejectedReturn: manualWorkflow('rejected, return status', [
			lynkist('Create', createParams('rejected_then_returned')),
			submit('Submit', { waitForApproval: true, approvalTimeout: 6, onTimeout: 'returnStatus' }),
		]),
		rejectedFail: manualWorkflow('rejected, fail', [
			lynkist('Create', createParams('rejected_then_failed')),
			submit('Submit', { waitForApproval: true, approvalTimeout: 4, onTimeout: 'fail' }, continueOnFail),
		]),
		get: manualWorkflow(
			'get',
			[lynkist('Get approved', { resource: 'template', operation: 'get', template: rl(seeded.approved, 'id') })],
			[lynkist('Get draft', { resource: 'template', operation: 'get', template: rl(seeded.draft, 'id') }, continueOnFail)],
			[
				lynkist(
					'Get nothing',
					{ resource: 'template', operation: 'get', template: rl('={{ $json.missing ?? "" }}', 'id') },
					continueOnFail,
				),
			],
		),
		listAll: manualWorkflow('list all', [list({ returnAll: true })]),
		listLimits: manualWorkflow(
			'list with limits',
			[{ ...list({ returnAll: true }), name: 'List all' }],
			...LIMITS.map((limit) => [{ ...list({ returnAll: false, limit }), name: `List ${limit}` }]),
		),
		listFiltered: manualWorkflow('list filtered', [
			list({ returnAll: false, limit: 2, filters: { language: 'es', category: 'MARKETING', nameContains: 'PROMO' }, simplify: true }),
		]),
	});

	n8n = await startN8n({ credentials: [credential, quietCredential, noMediaCredential], workflows: Object.values(workflows) });
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
	await new Promise((resolve) => samples?.close(resolve));
});

type Session = { session_id: string; file_name: string; file_type: string; file_length: number; status: string; handle: string | null };
const sessions = async (): Promise<Session[]> => (await control(sandbox, 'GET', `/tenants/${tenant.id}/template-sessions`)).data;

/** The upload session that issued the handle in the template's media header, as the sandbox holds the template. */
async function sessionOf(created: Record<string, any>): Promise<Session> {
	const stored = (await control(sandbox, 'GET', `/tenants/${tenant.id}/templates`)).data.find((t: { id: string }) => t.id === created.id);
	const header = stored.components.find((c: { type: string }) => c.type === 'HEADER');
	const [handle] = header.example.header_handle;
	expect(handle).toMatch(/^4::/);
	const session = (await sessions()).find((s) => s.handle === handle);
	expect(session).toBeDefined();
	return session!;
}

const requests = async (tenantId: string) =>
	(await control(sandbox, 'GET', `/tenants/${tenantId}/requests`)).data as Array<{ method: string; path: string; status: number }>;

describe('Create Template', () => {
	it('names each builder mistake and its fix, and sends nothing to Lynkist', async () => {
		const execution = await n8n.run(workflows.invalid.id);
		const errors = Object.fromEntries(INVALID.map(([name]) => [name, execution.items(`Invalid ${name}`)]));
		expect(errors).toEqual(
			Object.fromEntries(INVALID.map(([name, , reason]) => [name, [expect.objectContaining({ error: expect.stringMatching(reason) })]])),
		);
		expect(await requests(quietTenant.id)).toEqual([]);
	});

	it('says that the name already exists in that language (409), as an error item', async () => {
		const execution = await n8n.run(workflows.duplicate.id);
		expect(execution.items('Create')).toEqual([
			expect.objectContaining({ error: 'A template named "taken_name" in language "en_US" already exists', httpCode: '409' }),
		]);
	});

	it('creates a draft from raw JSON components; a link in example.header_handle is uploaded and its handle sent', async () => {
		const [template] = (await n8n.run(workflows.createJson.id)).items('Create');
		expect(template).toMatchObject({ template_name: 'from_json', language: 'pt_BR', category: 'MARKETING', status: 'draft' });
		expect(template.components[1]).toEqual({ type: 'BODY', text: 'Oi {{1}}', example: { body_text: [['Ana']] } });
		const session = await sessionOf(template);
		expect(session).toMatchObject({ file_name: 'banner.png', file_type: 'image/png', file_length: FILES['/banner.png'].data.length });
	});

	it('with Submit for Approval, the new template comes out pending', async () => {
		const [template] = (await n8n.run(workflows.createAndSubmit.id)).items('Create');
		expect(template).toMatchObject({ template_name: 'submitted_now', status: 'pending', note: expect.stringMatching(/dashboard/) });
	});
});

describe('Create Template with a media header', () => {
	it('takes the sample from binary data: uploaded once for items with the same file, its handle in each template', async () => {
		const before = (await sessions()).length;
		const execution = await n8n.run(workflows.mediaFromBinary.id);
		const created = execution.items('Create');
		expect(created.map((t) => t.template_name)).toEqual(['banner_binary_1', 'banner_binary_2']);
		const [first, second] = await Promise.all(created.map(sessionOf));
		expect(first).toMatchObject({ file_name: 'banner.png', file_type: 'image/png', file_length: FILES['/banner.png'].data.length });
		expect(second.session_id).toBe(first.session_id);
		expect(execution.outputItems('Create').map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		const [fromJson] = execution.items('Create JSON');
		expect(fromJson.template_name).toBe('banner_binary_json');
		expect(fromJson.components[0]).toEqual({
			type: 'HEADER',
			format: 'IMAGE',
			example: { header_handle: [expect.stringMatching(/^4::/)] },
		});
		expect((await sessionOf(fromJson)).status).toBe('uploaded');
		expect((await sessions()).length - before).toBe(2);
	});

	it('downloads the sample from a link, then uploads it', async () => {
		const [template] = (await n8n.run(workflows.mediaFromLink.id)).items('Create');
		expect(template).toMatchObject({ template_name: 'invoice_from_link', status: 'draft' });
		expect(downloads).toContain('/brochure.pdf');
		expect(await sessionOf(template)).toMatchObject({ file_name: 'brochure.pdf', file_type: 'application/pdf', file_length: PDF.length });
	});

	it('a link that fails, a file of the wrong kind or a failed upload fails the item naming the item, the field and the step; nothing is created', async () => {
		const execution = await n8n.run(workflows.mediaBadLink.id);
		expect(execution.items('Missing')).toEqual([
			expect.objectContaining({
				error: `Item 1: the header sample could not be downloaded from ${samplesUrl}/missing.png (Header Sample Link): the server answered 404`,
				description: expect.stringMatching(/binary data\. The template was not created\.$/),
			}),
		]);
		expect(execution.items('Wrong kind')).toEqual([
			expect.objectContaining({
				error: expect.stringMatching(/^Item 1: the header sample \(Header Sample Link\) is image\/png, but Meta takes an MP4 video/),
			}),
		]);
		expect(execution.items('No media scope')).toEqual([
			expect.objectContaining({
				error:
					'Item 1: the header sample (Header Sample Link) could not be uploaded to Meta through Lynkist: POST /media/template-session failed: The Lynkist API key is missing the scope media:write',
				description: expect.stringMatching(/with media:write .*The template was not created\.$/),
				httpCode: '403',
			}),
		]);
		const names = (await control(sandbox, 'GET', `/tenants/${tenant.id}/templates`)).data.map(
			(t: { template_name: string }) => t.template_name,
		);
		expect(names).not.toContain('banner_missing');
		expect(names).not.toContain('banner_wrong_kind');
		expect(names).not.toContain('banner_no_scope');
	});
});

describe('Submit Template with Wait for Approval', () => {
	it('create → submit → approved after the review delay → sent with the new template', async () => {
		const execution = await n8n.run(workflows.approved.id);
		const [created] = execution.items('Create');
		expect(created).toMatchObject({ status: 'draft', components: expect.arrayContaining([expect.objectContaining({ type: 'BUTTONS' })]) });
		const [approved] = execution.items('Submit');
		expect(approved).toMatchObject({ id: created.id, template_name: 'shipping_notice', status: 'approved' });
		expect(approved.waitedSeconds).toBeGreaterThanOrEqual(REVIEW_DELAY_MS / 1000);
		expect(execution.outputItems('Submit')[0].pairedItem).toEqual({ item: 0 });
		const log = await requests(tenant.id);
		const sentAt = log.findIndex((r) => r.method === 'POST' && r.path.endsWith('/messages/template'));
		const polls = log.slice(0, sentAt).filter((r) => r.method === 'GET' && r.path.endsWith(`/templates/${created.id}`));
		expect(polls.length).toBeGreaterThanOrEqual(2);
		expect(polls.length).toBeLessThanOrEqual(5);

		const [sent] = execution.items('Send');
		expect(sent).toMatchObject({ status: 'accepted', to: '+15550100100', templateName: 'shipping_notice', language: 'en_US' });
		const messages = (await control(sandbox, 'GET', `/tenants/${tenant.id}/messages`)).data;
		expect(messages).toEqual([expect.objectContaining({ message_id: sent.messageId, template_name: 'shipping_notice' })]);
	});

	it("AUTHENTICATION: create with Meta's one-time-password button → approved → sent with the code in the body and the button", async () => {
		const execution = await n8n.run(workflows.loginCode.id);
		const [created] = execution.items('Create');
		expect(created.components).toContainEqual({
			type: 'BUTTONS',
			buttons: [{ type: 'URL', text: 'Copy code', url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}' }],
		});
		expect(execution.items('Submit')[0].status).toBe('approved');
		const [sent] = execution.items('Send');
		expect(sent).toMatchObject({ status: 'accepted', templateName: 'login_code_e2e' });
		const message = (await control(sandbox, 'GET', `/tenants/${tenant.id}/messages`)).data.find(
			(m: { message_id: string }) => m.message_id === sent.messageId,
		);
		expect(message.components).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: '482913' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
		]);
	});

	it('MARKETING with a Copy Offer Code button: created, approved, sent with the offer code', async () => {
		const execution = await n8n.run(workflows.offerCode.id);
		const [sent] = execution.items('Send');
		expect(sent).toMatchObject({ status: 'accepted', templateName: 'summer_offer_e2e' });
		const message = (await control(sandbox, 'GET', `/tenants/${tenant.id}/messages`)).data.find(
			(m: { message_id: string }) => m.message_id === sent.messageId,
		);
		expect(message.components).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
			{ type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'ANA20' }] },
		]);
	});

	it('a rejected template times out with its last known status and says where to see the rejection', async () => {
		const [result] = (await n8n.run(workflows.rejectedReturn.id)).items('Submit');
		expect(result).toMatchObject({ template_name: 'rejected_then_returned', status: 'pending', timedOut: true });
		expect(result.waitedSeconds).toBeGreaterThanOrEqual(6);
		expect(result.note).toMatch(/not approved within 6 seconds.*show approved templates only.*Lynkist dashboard/);
		const all = (await control(sandbox, 'GET', `/tenants/${tenant.id}/templates`)).data;
		expect(all.find((t: { id: string }) => t.id === result.id).status).toBe('rejected');
	});

	it('with On Timeout → Fail, the item fails with the same explanation', async () => {
		const [result] = (await n8n.run(workflows.rejectedFail.id)).items('Submit');
		expect(result.error).toMatch(/^Template .* was not approved within 4 seconds; its last known status is "pending"$/);
		expect(result.description).toMatch(/show approved templates only.*Lynkist dashboard/);
	});
});

describe('Get Template', () => {
	it('reads an approved template, and says a draft is "not found or not approved yet"', async () => {
		const execution = await n8n.run(workflows.get.id);
		expect(execution.items('Get approved')).toEqual([expect.objectContaining({ id: seeded.approved, template_name: 'taken_name' })]);
		expect(execution.items('Get draft')).toEqual([
			expect.objectContaining({ error: `Template ${seeded.draft} not found or not approved yet`, httpCode: '404' }),
		]);
		expect(execution.items('Get nothing')).toEqual([expect.objectContaining({ error: 'Template is empty' })]);
		expect((await requests(tenant.id)).filter((r) => r.path.endsWith('/templates/'))).toHaveLength(0);
	});

	it('the template picker searches by name, shows name · language · category and pages on', async () => {
		const search = async (filter: string, paginationToken?: string) => {
			const { status, body } = await n8n.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
				path: 'parameters.template',
				nodeTypeAndVersion: { name: 'n8n-nodes-lynkist.lynkist', version: 1 },
				currentNodeParameters: { resource: 'template', operation: 'get', template: rl('') },
				methodName: 'searchTemplates',
				credentials: { lynkistApi: { id: credential.id, name: credential.name } },
				filter,
				paginationToken,
			});
			expect(status).toBe(200);
			return body.data;
		};
		const first = await search('');
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		expect((await search('', first.paginationToken)).results).toHaveLength(100);
		const taken = await search('TAKEN');
		expect(taken.results).toEqual([{ name: 'taken_name · en_US · UTILITY', value: seeded.approved }]);
		// the oldest template is on the last of Lynkist's pages
		const oldest = await search('generated_0001');
		expect(oldest.results.map((r: { name: string }) => r.name)).toEqual(['generated_0001 · en_US · UTILITY']);
		expect(oldest.paginationToken).toBeUndefined();
		const names: string[] = [];
		let token: string | undefined;
		for (let calls = 0; calls < 5; calls++) {
			const found = await search('generated', token);
			expect(found.results.length).toBeGreaterThanOrEqual(found.paginationToken ? 100 : 1);
			names.push(...found.results.map((r: { name: string }) => r.name));
			token = found.paginationToken;
			if (!token) break;
		}
		expect(token).toBeUndefined();
		expect(new Set(names).size).toBe(GENERATED);
		expect(names).toHaveLength(GENERATED);
	});
});

describe('Get Many Templates', () => {
	let listed: ReturnType<N8n['run']> | undefined;

	it("Return All reads every approved template over Lynkist's pages", async () => {
		const items = (await n8n.run(workflows.listAll.id)).items('List');
		const approved = (await control(sandbox, 'GET', `/tenants/${tenant.id}/templates`)).data.filter(
			(t: { status: string }) => t.status === 'approved',
		);
		expect(approved.length).toBeGreaterThan(GENERATED);
		expect(items).toHaveLength(approved.length);
		expect(new Set(items.map((t) => t.id)).size).toBe(approved.length);
	});

	it.each(LIMITS)('a Limit of %i returns that many of the first templates, each once', async (limit) => {
		const execution = await (listed ??= n8n.run(workflows.listLimits.id));
		const all = execution.items('List all').map((t) => t.id);
		expect(all.length).toBeGreaterThanOrEqual(254);
		const ids = execution.items(`List ${limit}`).map((t) => t.id);
		expect(ids).toEqual(all.slice(0, limit));
		expect(new Set(ids).size).toBe(limit);
	});

	it('filters by name, language and category, stops at the Limit, and simplifies', async () => {
		const items = (await n8n.run(workflows.listFiltered.id)).items('List');
		expect(items).toEqual([
			{ id: expect.any(String), name: 'promo_0003', language: 'es', category: 'MARKETING', variables: 3 },
			{ id: expect.any(String), name: 'promo_0002', language: 'es', category: 'MARKETING', variables: 3 },
		]);
	});
});
