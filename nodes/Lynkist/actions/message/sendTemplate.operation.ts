/**
 * Send Template: every item is checked and its request built first (`prepare`), then sent
 * (`execute`) with an Idempotency-Key that stays the same for the same send on every path n8n
 * offers — the node's own retries, Retry On Fail, an execution Retry, a webhook posted twice.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameterResourceLocator, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { IDEMPOTENCY_HEADER, IDEMPOTENCY_MISMATCH_PATTERN, REPLAYED_HEADER } from '../../../shared/constants';
import { automaticKey, customKey, customKeyText, type DuplicateCheck, fingerprint, type SendScope } from '../../helpers/idempotency';
import { toE164 } from '../../helpers/phone';
import { readRateHeaders } from '../../../shared/helpers/rateLimit';
import { buildComponents, checkComponents, templateSlots } from '../../helpers/variables';
import { lynkistRequest } from '../../../shared/transport';
import type { RunState } from '../types';
import { recallAccepted, rememberAccepted } from './acceptedSends';
import { type HeaderMedia, readHeaderMedia, uploadHeaderMedia } from './headerMedia';
import { beforeSend, type ContactOptions, noteRecipient, recipientOf } from './recipientContacts';
import { resolveTemplate } from './resolveTemplate';
import { DEFAULT_CONCURRENCY } from './sendTemplate.description';

export { description } from './sendTemplate.description';
export { finish, summarize } from './sendTemplate.outcome';

interface SendOptions extends ContactOptions {
	batchPauseMs?: number;
	headerMediaBinary?: string;
	concurrency?: number;
	duplicateCheck?: DuplicateCheck;
	idempotencyKey?: unknown;
	includeResponseDetails?: boolean;
	maxRetries?: number;
	validateOnly?: boolean;
}

/** One item's send, checked and built, waiting to go. */
export interface PreparedSend {
	body: IDataObject;
	key: string;
	customKey?: string;
	media?: HeaderMedia;
	options: SendOptions;
	template: { template_name: string; language: string };
}

/** What the sends of one node run share: where they come from, and the custom keys used so far. */
interface SendRun {
	scope: Omit<SendScope, 'itemIndex'>;
	executionId: string;
	customKeys: Map<string, { itemIndex: number; fingerprint: string }>;
}

const PATH = '/messages/template';
const sendRuns = new WeakMap<RunState, SendRun>();

/**
 * The execution's origin: the id of its first run, kept in the execution's flow context, which
 * n8n carries over into an execution Retry (a new execution with a new id).
 */
function sendRun(this: IExecuteFunctions, run: RunState): SendRun {
	let found = sendRuns.get(run);
	if (!found) {
		const flow = this.getContext('flow');
		flow.lynkistExecutionOrigin ??= this.getExecutionId();
		found = {
			scope: {
				workflowId: String(this.getWorkflow().id ?? ''),
				nodeId: this.getNode().id,
				origin: String(flow.lynkistExecutionOrigin),
				runIndex: Number(this.getWorkflowDataProxy(0).$runIndex ?? 0),
			},
			executionId: this.getExecutionId(),
			customKeys: new Map(),
		};
		sendRuns.set(run, found);
	}
	return found;
}

export function batching(this: IExecuteFunctions): { concurrency: number; pauseMs: number } {
	const options = this.getNodeParameter('options', 0, {}) as SendOptions;
	return { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, pauseMs: options.batchPauseMs ?? 0 };
}

function parseJson(value: unknown): unknown {
	return typeof value === 'string' ? JSON.parse(value) : value;
}

/** How another operation that sends a template (Send and Wait for Reply) adapts the send. */
export interface SendAdaptation {
	/** The Duplicate Check when the node has no such option. */
	duplicateCheck: DuplicateCheck;
	/** Components added to what the user gave (e.g. quick-reply payloads); may throw to refuse the template. */
	extraComponents(template: IDataObject, given: IDataObject[]): IDataObject[];
}

export async function prepare(this: IExecuteFunctions, itemIndex: number, run: RunState, adapt?: SendAdaptation): Promise<PreparedSend> {
	const item = itemIndex + 1;
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
	if (!phone.ok) throw fail(`"To" of item ${item} ${phone.reason}`, 'Use the full international number, with + and the country code.');
	const recipient = recipientOf.call(this, itemIndex, run, phone.e164, options);

	const template = await resolveTemplate.call(this, params.template as INodeParameterResourceLocator, String(params.language ?? ''), {
		run,
		itemIndex,
	});

	let components: unknown;
	let media: HeaderMedia | undefined;
	if (jsonMode) {
		try {
			components = parseJson(params.componentsJson);
		} catch (error) {
			throw fail(`"Components (JSON)" of item ${item} is not valid JSON: ${(error as Error).message}`);
		}
		const problems = checkComponents(template, components);
		if (problems.length)
			throw fail(
				`"Components (JSON)" of item ${item} does not fit template ${template.template_name} (${template.language}): ${problems.join('; ')}`,
			);
	} else {
		const values = { ...((params['variables.value'] ?? {}) as IDataObject) };
		const property = options.headerMediaBinary?.trim();
		if (property) {
			const slot = templateSlots(template).find((s) => s.id === 'header_media');
			if (!slot) {
				throw fail(
					`Template ${template.template_name} (${template.language}) has no image, video or document header for binary "${property}"`,
					'Clear Header Media From Binary, or choose a template with a media header.',
				);
			}
			media = await readHeaderMedia.call(this, itemIndex, property, slot, run);
			values.header_media = media.placeholder;
		}
		const built = buildComponents(template, values);
		if (built.problems.length) {
			throw fail(
				`Variables of item ${item} do not fit template ${template.template_name} (${template.language}): ${built.problems.join('; ')}`,
			);
		}
		components = built.components;
	}

	if (adapt && Array.isArray(components))
		components = [...components, ...adapt.extraComponents(template as unknown as IDataObject, components as IDataObject[])];
	const body: IDataObject = { to: phone.e164, template_name: template.template_name, language: template.language };
	if (Array.isArray(components) && (components.length > 0 || templateSlots(template).length > 0))
		body.components = components as IDataObject[];

	const { scope, customKeys } = sendRun.call(this, run);
	const custom = customKeyText(options.idempotencyKey);
	if (!custom) {
		const key = automaticKey(options.duplicateCheck ?? adapt?.duplicateCheck ?? 'message', { ...scope, itemIndex }, body);
		if (recipient) noteRecipient(run, recipient);
		return { body, key, media, options, template };
	}
	const print = fingerprint(body);
	const earlier = customKeys.get(custom);
	if (earlier && earlier.fingerprint !== print) {
		throw fail(
			`Idempotency Key "${custom}" of item ${item} is also the key of item ${earlier.itemIndex + 1}, with a different message`,
			'Lynkist sends one message per key, so this item was not sent. Give each message its own key, e.g. the order ID together with the recipient.',
		);
	}
	if (!earlier) customKeys.set(custom, { itemIndex, fingerprint: print });
	if (recipient) noteRecipient(run, recipient);
	return { body, key: customKey(scope, custom), customKey: custom, media, options, template };
}

/**
 * Whether Lynkist says the answer is a replay of an earlier send with the same key: true or false
 * as its header says, null (unknown) when it does not say. A repeat is not sent twice either way.
 */
const replayedOf = (header: unknown) => (header === 'true' ? true : header === 'false' ? false : null);

const templateOf = (template: PreparedSend['template']) => ({ templateName: template.template_name, language: template.language });

function isKeyReused(error: unknown): boolean {
	const context = (error as NodeApiError | undefined)?.context;
	return error instanceof NodeApiError && context?.status === 422 && IDEMPOTENCY_MISMATCH_PATTERN.test(String(context.detail ?? ''));
}

/** The body with the upload's link where the media placeholder stood. */
function withLink(body: IDataObject, placeholder: string, link: string): IDataObject {
	return JSON.parse(JSON.stringify(body).split(JSON.stringify(placeholder)).join(JSON.stringify(link))) as IDataObject;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunState,
	prepared?: PreparedSend,
): Promise<INodeExecutionData[]> {
	const { body, key, media, options, template } = prepared as PreparedSend;
	const request = { method: 'POST' as const, path: PATH, headers: { [IDEMPOTENCY_HEADER]: key }, body };
	const keys: IDataObject = { idempotencyKey: key, ...(prepared?.customKey !== undefined && { customIdempotencyKey: prepared.customKey }) };
	const output = (json: IDataObject) => [{ json, pairedItem: { item: itemIndex } }];
	const contactCheck = () => beforeSend.call(this, run, itemIndex, { to: body.to, ...templateOf(template) });

	if (options.validateOnly) {
		const checked = await contactCheck();
		if (checked.skipped) return output({ validateOnly: true, ...checked.skipped });
		const shown = media ? withLink(body, media.placeholder, `(uploaded from binary "${options.headerMediaBinary}" when sent)`) : body;
		return output({ validateOnly: true, request: { ...request, body: shown } as unknown as IDataObject, ...keys, ...checked.contact });
	}

	const { scope, executionId } = sendRun.call(this, run);
	const tryKey = `${executionId}|${scope.nodeId}|${scope.runIndex}|${itemIndex}`;
	const earlier = recallAccepted(tryKey);
	if (earlier) return output({ ...earlier, replayed: true });
	const checked = await contactCheck();
	if (checked.skipped) return output(checked.skipped);

	if (media) request.body = withLink(body, media.placeholder, await uploadHeaderMedia.call(this, itemIndex, media, run));
	let response;
	try {
		response = await lynkistRequest.call(this, request, { itemIndex, maxRetries: options.maxRetries });
	} catch (error) {
		// The key stands for one message: the same key with another body is that message, sent
		// earlier with a value that has changed since (a time, a link from another upload).
		if (!isKeyReused(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
		return output({
			messageId: null,
			status: 'accepted',
			to: body.to,
			...templateOf(template),
			replayed: true,
			...keys,
			...checked.contact,
		});
	}
	const sent = response.body as IDataObject;
	const json: IDataObject = {
		messageId: sent.message_id,
		status: sent.status,
		to: sent.to ?? body.to,
		...templateOf(template),
		replayed: replayedOf(response.headers[REPLAYED_HEADER]),
		...keys,
		requestId: response.requestId,
		...checked.contact,
	};
	if (options.includeResponseDetails) json.rateLimit = readRateHeaders(response.headers) as IDataObject;
	rememberAccepted(tryKey, json);
	return output(json);
}
