/** The Send Template operation's fields. */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_RETRIES } from '../../../shared/constants';
import { contactFields } from '../contact/fields';
import { templateLocator } from '../templateLocator';
import { duplicateCheckOption } from './duplicateCheckOption';
import { optOutOption } from './optOutOption';
import { sendAndWaitTemplate } from './sendAndWait.description';

const show = { resource: ['message'], operation: ['sendTemplate'] };
/** Fields Send and Wait for Reply shares: the template message is the same. */
const shared = { resource: ['message'], operation: ['sendTemplate', 'sendAndWait'] };

/** Requests in flight at once by default. */
export const DEFAULT_CONCURRENCY = 10;

export const description: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+91 99999 99999',
		displayOptions: { show: shared },
		description:
			'Recipient phone number with its country code. Spaces, dashes and brackets are fine (+1 (555) 010-0100); it is sent as E.164 (+15550100100).',
	},
	templateLocator(
		show,
		'The approved WhatsApp template to send: pick it from the list (name · language · category), or give its ID or name',
		{ byName: true },
	),
	...sendAndWaitTemplate,
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: '',
		placeholder: 'en_US',
		displayOptions: { show: shared },
		description:
			"The template's language code, matched exactly (en_US is not en). Leave empty to use the chosen template's language; needed with By Name when the name exists in several languages.",
	},
	{
		displayName: 'Variables Input',
		name: 'variablesMode',
		type: 'options',
		default: 'fields',
		displayOptions: { show: shared },
		options: [
			{ name: 'Fields', value: 'fields', description: 'One field per template variable, read from the template' },
			{ name: 'Components (JSON)', value: 'json', description: 'Raw send-side components, as in the Lynkist API' },
		],
	},
	{
		displayName: 'Variables',
		name: 'variables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		displayOptions: { show: { ...shared, variablesMode: ['fields'] } },
		typeOptions: {
			loadOptionsDependsOn: ['template.value', 'language'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateVariables',
				mode: 'add',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This template has no variables: nothing to fill in.',
				// n8n's editor reloads these fields on a template change only when it can resolve every
				// expression of the node, which $json ones cannot before the previous node has run.
				// Fields left from another template are then replaced when the node is next opened.
				refreshStaleSchemaOnOpen: true,
			},
		},
		description: "Values for the template's placeholders, each named after where it lands",
	},
	{
		displayName: 'Components (JSON)',
		name: 'componentsJson',
		type: 'json',
		default: '[]',
		displayOptions: { show: { ...shared, variablesMode: ['json'] } },
		description:
			'Send-side components, e.g. [{"type":"body","parameters":[{"type":"text","text":"Ada"}]}]. Checked against the template before sending.',
	},
	{
		displayName: 'Create or Update Contact',
		name: 'saveContact',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description:
			"Whether to create or update the recipient's Lynkist contact (found by the To number) with the fields below before sending. Custom fields not given are kept. Needs the contacts:read and contacts:write scopes.",
	},
	contactFields('contactFields', 'Contact Fields', { ...show, saveContact: [true] }, ['first_name'], { merging: true }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Batch Pause (Ms)',
				name: 'batchPauseMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: "Pause between batches of Concurrency items. Not needed for Lynkist's rate limits: the node follows them by itself.",
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: DEFAULT_CONCURRENCY,
				description: 'How many sends may be in flight at once',
			},
			duplicateCheckOption,
			{
				displayName: 'Header Media From Binary',
				name: 'headerMediaBinary',
				type: 'string',
				default: '',
				placeholder: 'data',
				description:
					"Name of the input item's binary property holding the header image, video or document. It is uploaded to Lynkist once per run and used instead of a link (Fields input only).",
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				placeholder: '={{ $json.orderId }}',
				description:
					'Your own key for a send, e.g. an order ID (text or number): Lynkist then sends one message per key from this node for 24 hours. It is sent as a UUID v4 made from it. Leave empty for the automatic key (see Duplicate Check).',
			},
			{
				displayName: 'Include Response Details',
				name: 'includeResponseDetails',
				type: 'boolean',
				default: false,
				description: "Whether to add Lynkist's request ID and rate-limit headers to each output item",
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: DEFAULT_MAX_RETRIES,
				description:
					'Retries after an upstream error (502/504) or a dropped connection, with the same idempotency key. Rate limits are waited out separately.',
			},
			optOutOption,
			{
				displayName: 'Validate Only',
				name: 'validateOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to check everything and output the exact request that would be sent, without sending anything',
			},
		],
	},
];
