import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BuilderButton, BuilderInput, HeaderKind } from '../../helpers/templateBuilder';
import { buildComponents, checkTemplate } from '../../helpers/templateBuilder';
import type { LynkistResponse } from '../../transport';
import { isUncertain, lynkistRequest } from '../../transport';
import { categoryOptions } from './fields';
import { submitTemplate } from './submit.operation';
import type { RunState } from '../types';

const show = { resource: ['template'], operation: ['create'] };
const builder = { ...show, componentsMode: ['builder'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'templateName',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: 'order_update',
		description:
			'Name of the new template: 1–255 lowercase letters, digits and underscores, e.g. order_update. Name and language together must be new in the workspace.',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'resourceLocator',
		required: true,
		displayOptions: { show },
		default: { mode: 'list', value: 'en_US' },
		description: 'WhatsApp locale the template is written in, e.g. en_US or es. Pick from the list or type a code.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchLanguages', searchable: true },
			},
			{
				displayName: 'Code',
				name: 'code',
				type: 'string',
				placeholder: 'en_US',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^[A-Za-z_]{2,10}$', errorMessage: 'A locale code: 2–10 letters or underscores, e.g. en or en_US' },
					},
				],
			},
		],
	},
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		displayOptions: { show },
		options: categoryOptions,
		default: 'UTILITY',
		description: 'What the template is for; Meta reviews and prices each category differently',
	},
	{
		displayName: 'Components Input',
		name: 'componentsMode',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Builder', value: 'builder', description: 'Fill in header, body, footer and buttons field by field' },
			{ name: 'JSON', value: 'json', description: "Give the template's components as raw JSON in Meta's format" },
		],
		default: 'builder',
		description: 'How to give the content of the template',
	},
	{
		displayName: 'Components (JSON)',
		name: 'componentsJson',
		type: 'json',
		displayOptions: { show: { ...show, componentsMode: ['json'] } },
		default: '[\n  { "type": "BODY", "text": "Hello {{1}}", "example": { "body_text": [["Ana"]] } }\n]',
		description:
			'Array of template components in Meta\'s format: HEADER (format, text or example.header_handle), BODY (text, example.body_text), FOOTER (text), BUTTONS (buttons: URL, PHONE_NUMBER, QUICK_REPLY, COPY_CODE)',
	},
	{
		displayName: 'Header',
		name: 'headerType',
		type: 'options',
		displayOptions: { show: builder },
		options: [
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'text', description: 'A short title line, optionally with {{1}}' },
			{ name: 'Video', value: 'video' },
		],
		default: 'none',
		description: 'What shows above the body. A media header takes its file when the message is sent.',
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		displayOptions: { show: { ...builder, headerType: ['text'] } },
		default: '',
		placeholder: 'Order {{1}}',
		description: 'Header line, at most 60 characters, with at most one placeholder: {{1}}',
	},
	{
		displayName: 'Header Example',
		name: 'headerTextExample',
		type: 'string',
		displayOptions: { show: { ...builder, headerType: ['text'] } },
		default: '',
		placeholder: '#1042',
		description: 'Sample value for {{1}} in the header, shown to Meta\'s reviewers. Required when the header has {{1}}.',
	},
	{
		displayName: 'Header Example (Link)',
		name: 'headerMediaExample',
		type: 'string',
		displayOptions: { show: { ...builder, headerType: ['image', 'video', 'document'] } },
		default: '',
		placeholder: 'https://example.com/sample.jpg',
		description: 'Link to a sample file of the header\'s kind, shown to Meta\'s reviewers. Required for a media header.',
	},
	{
		displayName: 'Body Text',
		name: 'bodyText',
		type: 'string',
		required: true,
		displayOptions: { show: builder },
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'Hi {{1}}, your order {{2}} has shipped.',
		description: 'Main text, at most 1024 characters. Mark variables {{1}}, {{2}}, … numbered from 1 without gaps.',
	},
	{
		displayName: 'Body Examples',
		name: 'bodyExamples',
		type: 'fixedCollection',
		displayOptions: { show: builder },
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Example Value',
		default: {},
		description: 'One sample value per body placeholder, in order: the first for {{1}}, the second for {{2}}, …',
		options: [
			{
				displayName: 'Example',
				name: 'example',
				values: [
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Sample value Meta\'s reviewers see in place of the placeholder',
					},
				],
			},
		],
	},
	{
		displayName: 'Footer Text',
		name: 'footerText',
		type: 'string',
		displayOptions: { show: builder },
		default: '',
		description: 'Optional small print under the body, at most 60 characters, no placeholders',
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		displayOptions: { show: builder },
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Button',
		default: {},
		description:
			'Up to 10 buttons: at most 2 URL, 1 phone number and 1 offer code; quick replies next to each other. AUTHENTICATION templates take exactly one Copy Code (One-Time Password) button.',
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Button Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Copy Code (One-Time Password)', value: 'copyCode', description: 'Copies the one-time code the message carries (AUTHENTICATION templates)' },
							{ name: 'Copy Offer Code', value: 'couponCode', description: 'Copies a coupon code (MARKETING templates)' },
							{ name: 'Phone Number', value: 'phoneNumber', description: 'Calls a number' },
							{ name: 'Quick Reply', value: 'quickReply', description: 'Sends its label back as a reply' },
							{ name: 'URL', value: 'url', description: 'Opens a web page, optionally with a dynamic end' },
						],
						default: 'quickReply',
						description: 'What the button does',
					},
					{
						displayName: 'Label',
						name: 'text',
						type: 'string',
						default: '',
						placeholder: 'Track order',
						displayOptions: { hide: { type: ['couponCode'] } },
						description: 'Text on the button, at most 25 characters, no placeholders. Copy Code (One-Time Password) defaults to "Copy code".',
					},
					{
						displayName: 'Offer Code Example',
						name: 'couponExample',
						type: 'string',
						displayOptions: { show: { type: ['couponCode'] } },
						default: '',
						placeholder: 'SUMMER20',
						description: 'A sample offer code for Meta\'s review, at most 15 characters; WhatsApp labels the button "Copy offer code"',
					},
					{
						displayName: 'Phone Number',
						name: 'phoneNumber',
						type: 'string',
						displayOptions: { show: { type: ['phoneNumber'] } },
						default: '',
						placeholder: '+15551234567',
						description: 'Number to call, in international format',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						displayOptions: { show: { type: ['url'] } },
						default: '',
						placeholder: 'https://shop.example.com/orders/{{1}}',
						description: 'Web address to open. End it with {{1}} to add a dynamic part per message.',
					},
					{
						displayName: 'URL Example Suffix',
						name: 'urlSuffixExample',
						type: 'string',
						displayOptions: { show: { type: ['url'] } },
						default: '',
						placeholder: '1042',
						description: 'Sample value for {{1}} at the end of the URL. Required when the URL ends with {{1}}.',
					},
				],
			},
		],
	},
	{
		displayName: 'Submit for Approval',
		name: 'submitForApproval',
		type: 'boolean',
		displayOptions: { show },
		default: false,
		description: 'Whether to submit the new template for Meta\'s review right after creating it (status pending instead of draft)',
	},
];

function readBuilder(this: IExecuteFunctions, itemIndex: number): BuilderInput {
	const param = <T>(name: string, fallback: T) => this.getNodeParameter(name, itemIndex, fallback) as T;
	const headerType = param<HeaderKind>('headerType', 'none');
	return {
		headerType,
		headerText: param('headerText', ''),
		headerExample: headerType === 'text' ? param('headerTextExample', '') : param('headerMediaExample', ''),
		bodyText: param('bodyText', ''),
		bodyExamples: param<{ example?: Array<{ value: string }> }>('bodyExamples', {}).example?.map((e) => e.value) ?? [],
		footerText: param('footerText', ''),
		buttons: param<{ button?: BuilderButton[] }>('buttons', {}).button ?? [],
	};
}

function readJsonComponents(this: IExecuteFunctions, itemIndex: number): unknown {
	const raw = this.getNodeParameter('componentsJson', itemIndex) as unknown;
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Components (JSON) is not valid JSON: ${(error as Error).message}`, {
			itemIndex,
			description: 'Fix the JSON in Components (JSON), or switch Components Input to Builder.',
		});
	}
}

const exists = (name: string, language: string) => ({
	message: `A template named "${name}" in language "${language}" already exists`,
	description: 'Name and language together identify a template. Choose another name, or another language for the same name.',
});

/**
 * POST /templates. When Lynkist's answer is lost the template may exist already: it is sent once
 * more, and a 409 to that second try means the first one created it. Lynkist shows drafts to
 * nobody through its API, so that draft's id cannot be read back: the output says so instead of
 * reporting a failure.
 */
async function createTemplate(this: IExecuteFunctions, template: IDataObject, itemIndex: number, run: RunState): Promise<IDataObject> {
	const { template_name: name, language } = template as { template_name: string; language: string };
	const request = { method: 'POST' as const, path: '/templates', body: template };
	try {
		const { body } = (await lynkistRequest.call(this, request, { itemIndex, gate: run.gate, explain: { 409: exists(name, language) } })) as LynkistResponse<IDataObject>;
		return body;
	} catch (error) {
		if (!isUncertain(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
	}
	const { status, body } = (await lynkistRequest.call(this, request, { itemIndex, gate: run.gate, answerStatuses: [409] })) as LynkistResponse<IDataObject>;
	if (status !== 409) return body;
	return {
		template_name: name,
		language,
		category: template.category,
		status: 'draft',
		id: null,
		confirmed: false,
		note: "Created, but Lynkist's answer was lost: a second try found the name and language taken by the new draft. Lynkist's API does not show drafts, so its id is unknown. Submit it for review in the Lynkist dashboard.",
	};
}

/** Creates a draft template, checked first the way Meta checks it; optionally submits it for review. */
export async function execute(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<INodeExecutionData[]> {
	const name = (this.getNodeParameter('templateName', itemIndex) as string).trim();
	const language = String(this.getNodeParameter('language', itemIndex, '', { extractValue: true })).trim();
	const category = this.getNodeParameter('category', itemIndex) as string;
	const components =
		this.getNodeParameter('componentsMode', itemIndex) === 'json'
			? readJsonComponents.call(this, itemIndex)
			: buildComponents(readBuilder.call(this, itemIndex));

	const problems = checkTemplate({ name, language, category, components });
	if (problems.length) {
		throw new NodeOperationError(this.getNode(), `The template is not valid. ${problems[0]}`, {
			itemIndex,
			description: `Nothing was sent to Lynkist. ${problems.length > 1 ? `All problems: ${problems.join(' · ')}` : ''}`.trim(),
		});
	}

	const created = await createTemplate.call(this, { template_name: name, language, category, components } as IDataObject, itemIndex, run);
	if (created.confirmed === false) return [{ json: created, pairedItem: { item: itemIndex } }];
	const json = this.getNodeParameter('submitForApproval', itemIndex, false)
		? await submitTemplate.call(this, String(created.id), itemIndex, run)
		: created;
	return [{ json, pairedItem: { item: itemIndex } }];
}
