import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_MAX_RETRIES, IDEMPOTENCY_HEADER } from '../../helpers/constants';
import { idempotencyKey } from '../../helpers/idempotency';
import { toE164 } from '../../helpers/phone';
import { readRateHeaders } from '../../helpers/rateLimit';
import { buildComponents, checkComponents, templateSlots } from '../../helpers/variables';
import { lynkistRequest } from '../../transport';
import type { RunState } from '../router';
import { byId, fromList } from '../templateLocator';
import { uploadHeaderMedia } from './headerMedia';
import { resolveTemplate } from './resolveTemplate';

const show = { resource: ['message'], operation: ['sendTemplate'] };

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
		displayOptions: { show },
		description:
			'Recipient phone number with its country code. Spaces, dashes and brackets are fine (+1 (555) 010-0100); it is sent as E.164 (+15550100100).',
	},
	{
		displayName: 'Template',
		name: 'template',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		displayOptions: { show },
		description: 'The approved WhatsApp template to send: pick it from the list (name · language · category), or give its ID or name',
		modes: [
			fromList,
			byId,
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'order_confirmation',
			},
		],
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: '',
		placeholder: 'en_US',
		displayOptions: { show },
		description:
			"The template's language code, matched exactly (en_US is not en). Leave empty to use the chosen template's language; needed with By Name when the name exists in several languages.",
	},
	{
		displayName: 'Variables Input',
		name: 'variablesMode',
		type: 'options',
		default: 'fields',
		displayOptions: { show },
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
		displayOptions: { show: { ...show, variablesMode: ['fields'] } },
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
			},
		},
		description: "Values for the template's placeholders, each named after where it lands",
	},
	{
		displayName: 'Components (JSON)',
		name: 'componentsJson',
		type: 'json',
		default: '[]',
		displayOptions: { show: { ...show, variablesMode: ['json'] } },
		description:
			'Send-side components, e.g. [{"type":"body","parameters":[{"type":"text","text":"Ada"}]}]. Checked against the template before sending.',
	},
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
				description: 'Pause between batches of Concurrency items. Not needed for Lynkist\'s rate limits: the node follows them by itself.',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: DEFAULT_CONCURRENCY,
				description: 'How many sends may be in flight at once',
			},
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
				description:
					'Leave empty for an automatic key: the same execution, node and item always get the same key, so retries never send twice. Set your own (e.g. an order ID) to make a send unique across executions for 24 hours.',
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
				description: 'Retries after an upstream error (502/504) or a dropped connection, with the same idempotency key. Rate limits are waited out separately.',
			},
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

interface SendOptions {
	batchPauseMs?: number;
	headerMediaBinary?: string;
	concurrency?: number;
	idempotencyKey?: string;
	includeResponseDetails?: boolean;
	maxRetries?: number;
	validateOnly?: boolean;
}

const PATH = '/messages/template';

export function batching(this: IExecuteFunctions): { concurrency: number; pauseMs: number } {
	const options = this.getNodeParameter('options', 0, {}) as SendOptions;
	return { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, pauseMs: options.batchPauseMs ?? 0 };
}

function parseJson(value: unknown): unknown {
	return typeof value === 'string' ? JSON.parse(value) : value;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<INodeExecutionData[]> {
	const fail = (message: string, description?: string) => new NodeOperationError(this.getNode(), message, { itemIndex, description });
	const read = (wanted: Record<string, unknown>) => run.parameters.read(itemIndex, wanted);
	const jsonMode = read({ variablesMode: 'fields' }).variablesMode === 'json';
	const params = read({
		options: {},
		to: '',
		template: { mode: 'list', value: '' },
		language: '',
		...(jsonMode ? { componentsJson: '[]' } : { 'variables.value': {} }),
	});
	const options = params.options as SendOptions;

	const phone = toE164(params.to);
	if (!phone.ok) throw fail(`"To" of item ${itemIndex} ${phone.reason}`, 'Use the full international number, with + and the country code.');

	const template = await resolveTemplate.call(this, params.template as INodeParameterResourceLocator, String(params.language ?? ''), { run, itemIndex });

	let components: unknown;
	if (jsonMode) {
		try {
			components = parseJson(params.componentsJson);
		} catch (error) {
			throw fail(`"Components (JSON)" of item ${itemIndex} is not valid JSON: ${(error as Error).message}`);
		}
		const problems = checkComponents(template, components);
		if (problems.length) throw fail(`"Components (JSON)" of item ${itemIndex} does not fit template ${template.template_name} (${template.language}): ${problems.join('; ')}`);
	} else {
		const values = { ...((params['variables.value'] ?? {}) as IDataObject) };
		const property = options.headerMediaBinary?.trim();
		if (property) {
			const slot = templateSlots(template).find((s) => s.id === 'header_media');
			if (!slot) {
				throw fail(`Template ${template.template_name} (${template.language}) has no image, video or document header for binary "${property}"`, 'Clear Header Media From Binary, or choose a template with a media header.');
			}
			values.header_media = options.validateOnly
				? `(uploaded from binary "${property}" when sent)`
				: await uploadHeaderMedia.call(this, itemIndex, property, slot, run);
		}
		const built = buildComponents(template, values);
		if (built.problems.length) {
			throw fail(`Variables of item ${itemIndex} do not fit template ${template.template_name} (${template.language}): ${built.problems.join('; ')}`);
		}
		components = built.components;
	}

	const body: IDataObject = { to: phone.e164, template_name: template.template_name, language: template.language };
	if (Array.isArray(components) && (components.length > 0 || templateSlots(template).length > 0)) body.components = components as IDataObject[];
	const key =
		options.idempotencyKey?.trim() ||
		idempotencyKey({ executionId: this.getExecutionId(), nodeId: this.getNode().id, itemIndex, body });
	const request = { method: 'POST' as const, path: PATH, headers: { [IDEMPOTENCY_HEADER]: key }, body };

	if (options.validateOnly) {
		return [{ json: { validateOnly: true, request: request as unknown as IDataObject }, pairedItem: { item: itemIndex } }];
	}

	const response = await lynkistRequest.call(this, request, { itemIndex, gate: run.gate, maxRetries: options.maxRetries });
	const sent = response.body as IDataObject;
	const json: IDataObject = {
		message_id: sent.message_id,
		status: sent.status,
		to: sent.to ?? phone.e164,
		template_name: template.template_name,
		language: template.language,
		idempotency_key: key,
		request_id: response.requestId,
		delivery: 'Accepted by Lynkist. Whether it was delivered and read arrives as events in the Lynkist Trigger.',
	};
	if (options.includeResponseDetails) json.rate_limit = readRateHeaders(response.headers) as IDataObject;
	return [{ json, pairedItem: { item: itemIndex } }];
}
