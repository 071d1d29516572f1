/** The Create Template operation's fields: name, language, category, and the builder or JSON components. */
import type { INodeProperties } from 'n8n-workflow';

import { TEMPLATE_LANGUAGE_PATTERN } from '../../../shared/constants';
import { buttonsField } from './create.buttons';
import { categoryOptions } from './fields';

const show = { resource: ['template'], operation: ['create'] };
const builder = { ...show, componentsMode: ['builder'] };
const media = ['image', 'video', 'document'];

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
						properties: {
							regex: TEMPLATE_LANGUAGE_PATTERN.source,
							errorMessage: 'A locale code: 2–10 letters or underscores, e.g. en or en_US',
						},
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
			"Array of template components in Meta's format: HEADER (format, text or example.header_handle), BODY (text, example.body_text), FOOTER (text), BUTTONS (buttons: URL, PHONE_NUMBER, QUICK_REPLY, COPY_CODE). A media header's example.header_handle may be a link to the sample: the node downloads it and uploads it to Meta through Lynkist.",
	},
	{
		displayName: 'Header Sample From Binary',
		name: 'headerSampleBinary',
		type: 'string',
		displayOptions: { show: { ...show, componentsMode: ['json'] } },
		default: '',
		placeholder: 'data',
		description:
			"Optional: name of the input item's binary property holding the sample of the JSON's IMAGE, VIDEO or DOCUMENT header. It is uploaded to Meta through Lynkist and its handle fills example.header_handle. Leave empty to use example.header_handle from the JSON: a link is downloaded and uploaded, a handle from an earlier upload (4::…) is kept.",
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
		description:
			"What shows above the body. A media header takes its file when the message is sent; Meta's reviewers see a sample you give here.",
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
		description: "Sample value for {{1}} in the header, shown to Meta's reviewers. Required when the header has {{1}}.",
	},
	{
		displayName: 'Header Sample',
		name: 'headerSample',
		type: 'options',
		displayOptions: { show: { ...builder, headerType: media } },
		options: [
			{ name: 'Binary Data', value: 'binary', description: "A file in the input item's binary data" },
			{ name: 'Link', value: 'link', description: 'A file the node downloads from a link' },
		],
		default: 'link',
		description:
			"Where the sample file for Meta's reviewers comes from: a JPEG or PNG image, an MP4 video or a PDF document (5, 16 or 100 MB at most). The node uploads it to Meta through Lynkist before creating the template.",
	},
	{
		displayName: 'Header Sample From Binary',
		name: 'headerSampleBinary',
		type: 'string',
		displayOptions: { show: { ...builder, headerType: media, headerSample: ['binary'] } },
		default: 'data',
		placeholder: 'data',
		description: "Name of the input item's binary property holding the sample, e.g. data. Items with the same file upload it once per run.",
	},
	{
		displayName: 'Header Sample Link',
		name: 'headerMediaExample',
		type: 'string',
		displayOptions: { show: { ...builder, headerType: media, headerSample: ['link'] } },
		default: '',
		placeholder: 'https://example.com/sample.jpg',
		description:
			'Link to the sample file, which the node downloads and uploads to Meta (Meta takes an upload, not a link). A handle from an earlier upload (4::…) is used as it is.',
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
						description: "Sample value Meta's reviewers see in place of the placeholder",
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
	buttonsField(builder),
	{
		displayName: 'Submit for Approval',
		name: 'submitForApproval',
		type: 'boolean',
		displayOptions: { show },
		default: false,
		description: "Whether to submit the new template for Meta's review right after creating it (status pending instead of draft)",
	},
];
