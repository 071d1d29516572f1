import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { failedDeliveries, listEndpoints, offDescription, onDescription, replayFailedDeliveries, updateEndpoint } from '../Lynkist/actions/webhookEndpoints';
import { DELIVERY_HEADERS, ENDPOINT_DESCRIPTION_MAX, MAX_DELIVERY_BYTES, TRIGGER_ENDPOINT_PREFIX } from '../Lynkist/helpers/constants';
import type { LynkistResponse } from '../Lynkist/transport';
import { isUncertain, lynkistRequest } from '../Lynkist/transport';
import { DeliveryMemory } from './dedupe';
import { asEnvelope, normaliseEvent } from './normalise';
import { verifySignature } from './signature';

/** Which of the trigger's two n8n webhook URLs an endpoint serves. */
type Kind = 'production' | 'test';

/** The Lynkist endpoint registered for the test or the production URL. */
interface Endpoint {
	id: string;
	secret: string;
	events: string[];
	url?: string;
	/** When Lynkist last changed the endpoint as far as this secret knows (its created_at or updated_at). */
	secretAt?: string;
}

/** By kind; workflows saved by earlier versions keyed endpoints by their full URL. */
type Endpoints = Record<string, Endpoint>;

/** Delivery ids seen by each trigger node (and webhook mode) of this n8n process. */
const memories = new Map<string, DeliveryMemory>();

function endpointsOf(context: IHookFunctions | IWebhookFunctions): Endpoints {
	const staticData = context.getWorkflowStaticData('node');
	staticData.endpoints ??= {};
	return staticData.endpoints as Endpoints;
}

function webhookUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(context.getNode(), 'n8n has no webhook URL for this trigger');
	return url;
}

const kindOf = (url: string): Kind => (url.includes('/webhook-test/') ? 'test' : 'production');

/** The stored endpoint of this URL's kind (moving one stored under its full URL by an earlier version). */
function storedEndpoint(endpoints: Endpoints, url: string): Endpoint | undefined {
	const kind = kindOf(url);
	const legacy = Object.keys(endpoints).find((key) => key.includes('://') && kindOf(key) === kind);
	if (legacy) {
		endpoints[kind] ??= { ...endpoints[legacy], url: legacy };
		delete endpoints[legacy];
	}
	return endpoints[kind];
}

const memoryKey = (context: IHookFunctions | IWebhookFunctions, kind: Kind) => `${context.getWorkflow().id}:${context.getNode().id}:${kind}`;

function selectedEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	return context.getNodeParameter('events', []) as string[];
}

/** The events an endpoint is to be subscribed to: Lynkist needs at least one. */
function eventsToSubscribe(context: IHookFunctions): string[] {
	const events = selectedEvents(context);
	if (events.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Select at least one event', {
			description: 'Lynkist needs at least one event to send to this trigger.',
		});
	}
	return events;
}

const sameEvents = (a: string[], b: string[]) => a.length === b.length && a.every((e) => b.includes(e));

/** GET or DELETE one endpoint at Lynkist: its data, or undefined when Lynkist has no such endpoint. */
async function endpointCall(context: IHookFunctions | IWebhookFunctions, method: 'GET' | 'DELETE', id: string): Promise<IDataObject | undefined> {
	const { status, body } = (await lynkistRequest.call(
		context,
		{ method, path: `/webhooks/${encodeURIComponent(id)}` },
		{ answerStatuses: [404] },
	)) as LynkistResponse<{ data?: IDataObject } | undefined>;
	return status === 404 ? undefined : (body?.data ?? {});
}

/** How many times a registration whose answer was lost is cleaned up and tried again. */
const REGISTER_TRIES = 3;

/** Deletes every endpoint Lynkist has for this URL: n8n cannot verify them, it has none of their secrets. */
async function deleteEndpointsAt(context: IHookFunctions, url: string): Promise<void> {
	// a key without webhooks:read lists nothing; registering still works
	for (const endpoint of await listEndpoints.call(context)) {
		if (endpoint.url === url && typeof endpoint.id === 'string') await endpointCall(context, 'DELETE', endpoint.id);
	}
}

/**
 * POST /webhooks, never leaving an orphan endpoint. Endpoints Lynkist already has for this URL
 * (static data lost with an imported or duplicated workflow, or a registration whose answer was
 * lost) are deleted first: only the answer to a registration carries an endpoint's secret.
 */
async function registerEndpoint(context: IHookFunctions, url: string, events: string[], description: string): Promise<Endpoint> {
	for (let attempt = 1; ; attempt++) {
		await deleteEndpointsAt(context, url);
		try {
			const { body } = (await lynkistRequest.call(context, { method: 'POST', path: '/webhooks', body: { url, events, description } })) as LynkistResponse<{
				data?: IDataObject;
			}>;
			const data = body.data ?? {};
			if (typeof data.id !== 'string' || typeof data.secret !== 'string') {
				throw new NodeOperationError(context.getNode(), 'Lynkist registered the webhook but returned no id or signing secret');
			}
			return { id: data.id, secret: data.secret, events, url, secretAt: String(data.updated_at ?? data.created_at ?? '') };
		} catch (error) {
			if (!isUncertain(error) || attempt >= REGISTER_TRIES) throw explainHttpsOnly(context, url, error);
		}
	}
}

/**
 * How often a delivery the trigger cannot verify may make it ask Lynkist about its endpoint, and
 * how often it may renew the secret: forged requests cost at most one look-up per interval.
 */
const HEAL_CHECK_INTERVAL_MS = 10_000;
const HEAL_ROTATE_INTERVAL_MS = 60_000;
const healChecks = new Map<string, { checkedAt: number; rotatedAt: number }>();

/**
 * A delivery signed with another secret by an endpoint that is ours: when Lynkist shows the
 * endpoint changed after the secret n8n holds (its secret rotated in the Lynkist dashboard), the
 * trigger rotates the secret itself and keeps the new one, so Lynkist's retries of this and
 * later deliveries verify again. A forged delivery (the endpoint unchanged) changes nothing.
 */
async function healSecret(context: IWebhookFunctions, endpoint: Endpoint): Promise<boolean> {
	const now = Date.now();
	const last = healChecks.get(endpoint.id) ?? { checkedAt: 0, rotatedAt: 0 };
	if (now - last.checkedAt < HEAL_CHECK_INTERVAL_MS || now - last.rotatedAt < HEAL_ROTATE_INTERVAL_MS) return false;
	healChecks.set(endpoint.id, { ...last, checkedAt: now });
	try {
		const remote = await endpointCall(context, 'GET', endpoint.id);
		const changed = remote && typeof remote.updated_at === 'string' && (!endpoint.secretAt || remote.updated_at > endpoint.secretAt);
		if (!changed) return false;
		const { body } = (await lynkistRequest.call(context, { method: 'POST', path: `/webhooks/${encodeURIComponent(endpoint.id)}/rotate-secret`, idempotent: true })) as LynkistResponse<{
			data?: IDataObject;
		}>;
		if (typeof body.data?.secret !== 'string') return false;
		healChecks.set(endpoint.id, { checkedAt: now, rotatedAt: now });
		endpoint.secret = body.data.secret;
		endpoint.secretAt = String(body.data.updated_at ?? new Date().toISOString());
		context.logger.warn(`Lynkist Trigger: the signing secret of webhook ${endpoint.id} had changed at Lynkist; it was renewed and Lynkist's retries will verify again`);
		return true;
	} catch (error) {
		context.logger.warn(`Lynkist Trigger: could not renew the signing secret of webhook ${endpoint.id}: ${(error as Error).message}`);
		return false;
	}
}

/**
 * Whether the production endpoint of a workflow being turned off still owes deliveries (Lynkist
 * disabled it, is retrying some, or some failed): deleting it would delete them with it. Such an
 * endpoint is switched off and kept, its description says so, and turning the workflow on again
 * switches it back on and has Lynkist send what it missed.
 */
async function keptWhileOff(context: IHookFunctions, id: string): Promise<boolean> {
	const remote = await endpointCall(context, 'GET', id);
	if (!remote) return false;
	const owes = remote.is_active !== true || Number(remote.consecutive_failures) > 0 || (await failedDeliveries.call(context, id)).length > 0;
	if (!owes) return false;
	await updateEndpoint.call(context, id, { active: false, description: offDescription(String(remote.description ?? '')) });
	context.logger.info(`Lynkist Trigger: webhook ${id} still owes deliveries; it is kept, switched off, until the workflow is on again`);
	return true;
}

/** Lynkist refuses plain-http URLs; say how to give n8n an https:// one. */
function explainHttpsOnly(context: IHookFunctions, url: string, error: unknown): unknown {
	if (!(error instanceof NodeApiError && error.httpCode === '422' && url.startsWith('http:') && /https/i.test(error.message))) {
		return error;
	}
	return new NodeOperationError(context.getNode(), `Lynkist only sends events to https:// URLs, and this n8n's webhook URL is ${url}`, {
		description:
			"Set n8n's WEBHOOK_URL environment variable to the public https:// address this n8n is reached at (for example behind a reverse proxy or a tunnel), restart n8n and activate the workflow again.",
	});
}

/** Answers the request without starting the workflow. */
function answer(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

function header(context: IWebhookFunctions, name: string): string | undefined {
	const value = context.getHeaderData()[name];
	return typeof value === 'string' ? value : undefined;
}

export class LynkistTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lynkist Trigger',
		name: 'lynkistTrigger',
		icon: { light: 'file:../../icons/lynkist.svg', dark: 'file:../../icons/lynkist.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly as 1. n8n evaluates a legacy Webhook-v1 binary-data expression on every
		// request to a version-1 webhook node; 1.1 skips it, which makes each delivery cheaper.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ "On " + $parameter["events"].map((e) => e.split(".")[1]).join(", ") }}',
		description: 'Starts the workflow when a WhatsApp message sent through Lynkist is sent, delivered, read or fails, or a customer replies',
		defaults: { name: 'Lynkist Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lynkistApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Message Delivered', value: 'message.delivered', description: 'The message reached the phone' },
					{ name: 'Message Failed', value: 'message.failed', description: 'WhatsApp could not deliver the message' },
					{ name: 'Message Read', value: 'message.read', description: 'The recipient opened the message' },
					{ name: 'Message Received', value: 'message.received', description: 'A customer sent a message (opt in: replies are not part of a message\'s delivery)' },
					{ name: 'Message Sent', value: 'message.sent', description: 'WhatsApp accepted the message for delivery' },
				],
				// Every event of a sent message; replies (message.received) are opted into.
				default: ['message.delivered', 'message.failed', 'message.read', 'message.sent'],
				description: 'The events that start the workflow',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Ignore Duplicate Deliveries',
						name: 'ignoreDuplicates',
						type: 'boolean',
						default: true,
						description:
							'Whether a delivery Lynkist sends again (same delivery or event ID, within 24 hours) is answered without starting the workflow again',
					},
					{
						displayName: 'Include Raw Payload',
						name: 'includeRaw',
						type: 'boolean',
						default: false,
						description: 'Whether to add the event exactly as Lynkist sent it, under "raw"',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			/**
			 * Whether Lynkist still has this URL's endpoint. One it has is kept, not replaced, so that
			 * what it missed is not deleted with it: moved to this URL (WEBHOOK_URL changed) and the
			 * selected events, switched back on (Lynkist disabled it, or it was kept while the workflow
			 * was off), and every delivery it missed is sent again, oldest first.
			 */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const url = webhookUrl(this);
				const endpoints = endpointsOf(this);
				const stored = storedEndpoint(endpoints, url);
				if (!stored) return false;
				const remote = await endpointCall(this, 'GET', stored.id);
				if (!remote) {
					delete endpoints[kindOf(url)];
					return false;
				}
				const events = eventsToSubscribe(this);
				const description = String(remote.description ?? '');
				const changes: IDataObject = {};
				if (remote.url !== url) changes.url = url;
				if (!Array.isArray(remote.events) || !sameEvents(remote.events as string[], events)) changes.events = events;
				if (onDescription(description) !== description) changes.description = onDescription(description);
				if (remote.is_active !== true) changes.active = true;
				if (Object.keys(changes).length > 0) {
					await updateEndpoint.call(this, stored.id, changes);
					Object.assign(stored, { url, events });
				}
				await replayFailedDeliveries.call(this, stored.id);
				return true;
			},

			/** Registers this URL (test or production) at Lynkist and keeps the endpoint's id and secret. */
			async create(this: IHookFunctions): Promise<boolean> {
				const url = webhookUrl(this);
				const events = eventsToSubscribe(this);
				const kind = kindOf(url);
				const endpoints = endpointsOf(this);
				const previous = storedEndpoint(endpoints, url);
				if (previous) await endpointCall(this, 'DELETE', previous.id);
				const description = `${TRIGGER_ENDPOINT_PREFIX}${this.getWorkflow().name ?? 'workflow'} (${kind} URL)`.slice(0, ENDPOINT_DESCRIPTION_MAX);
				endpoints[kind] = await registerEndpoint(this, url, events, description);
				return true;
			},

			/**
			 * Removes this URL's endpoint at Lynkist (one already gone is fine), and forgets it and its
			 * deliveries; a production endpoint that still owes deliveries is kept instead.
			 */
			async delete(this: IHookFunctions): Promise<boolean> {
				const url = webhookUrl(this);
				const endpoints = endpointsOf(this);
				const stored = storedEndpoint(endpoints, url);
				if (stored) {
					try {
						if (kindOf(url) === 'production' && (await keptWhileOff(this, stored.id))) return true;
						await endpointCall(this, 'DELETE', stored.id);
					} catch (error) {
						this.logger.warn(`Could not delete the Lynkist webhook ${stored.id}: ${(error as Error).message}`);
						return false;
					}
				}
				delete endpoints[kindOf(url)];
				memories.delete(memoryKey(this, kindOf(url)));
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const rawBody: Buffer = Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
		if (rawBody.length > MAX_DELIVERY_BYTES) return answer(this, 413, { message: 'Payload too large' });

		// Only the endpoint the delivery names can vouch for it.
		const webhookId = header(this, DELIVERY_HEADERS.webhookId);
		const endpoint = Object.values(endpointsOf(this)).find((e) => e.id === webhookId);
		if (!endpoint) return answer(this, 401, { message: webhookId ? 'Unknown Lynkist webhook endpoint' : 'Missing X-Lynkist-Webhook-Id' });
		const verdict = verifySignature(
			{ signature: header(this, DELIVERY_HEADERS.signature), timestamp: header(this, DELIVERY_HEADERS.timestamp), rawBody },
			[endpoint.secret],
			Math.floor(Date.now() / 1000),
		);
		if (!verdict.valid) {
			const renewed = verdict.mismatch && (await healSecret(this, endpoint));
			const note = renewed ? '; the signing secret had changed at Lynkist and was renewed, retries will verify' : '';
			return answer(this, 401, { message: `Invalid Lynkist signature: ${verdict.reason}${note}` });
		}

		let envelope;
		try {
			envelope = asEnvelope(JSON.parse(rawBody.toString('utf8')));
		} catch {
			envelope = undefined;
		}
		if (!envelope) return answer(this, 400, { message: 'The body is not a Lynkist event' });
		if (!selectedEvents(this).includes(envelope.type)) return answer(this, 200, { received: true, ignored: 'event not selected' });

		const deliveryId = header(this, DELIVERY_HEADERS.delivery);
		const options = this.getNodeParameter('options', {}) as { ignoreDuplicates?: boolean; includeRaw?: boolean };
		if (options.ignoreDuplicates !== false) {
			const ids = [deliveryId && `delivery:${deliveryId}`, typeof envelope.id === 'string' && `event:${envelope.id}`].filter(
				(id): id is string => typeof id === 'string',
			);
			// The test URL and the production URL are separate Lynkist endpoints that each get every
			// event: each keeps its own memory, so a test listener is not starved by production.
			const key = memoryKey(this, this.getMode() === 'manual' ? 'test' : 'production');
			let memory = memories.get(key);
			if (!memory) memories.set(key, (memory = new DeliveryMemory()));
			if (!memory.firstTime(ids, Date.now())) return answer(this, 200, { received: true, ignored: 'duplicate delivery' });
		}

		const item = normaliseEvent(envelope, { deliveryId, webhookId }, options.includeRaw === true);
		// A small acknowledgement for Lynkist, then the workflow starts.
		answer(this, 200, { received: true });
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([item])] };
	}
}
