/**
 * A Lynkist Trigger's endpoints at Lynkist: which one serves which of its n8n URLs (kept in the
 * workflow's static data), registering, moving and deleting them, and renewing a secret rotated
 * in the Lynkist dashboard. Used by the trigger node's webhook methods and webhook().
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { failedDeliveries, listEndpoints, offDescription, updateEndpoint } from '../Lynkist/actions/webhookEndpoints';
import type { LynkistResponse } from '../Lynkist/transport';
import { isUncertain, lynkistRequest } from '../Lynkist/transport';
import type { DeliveryMemory, SharedDeliveries } from './dedupe';

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
export const memories = new Map<string, DeliveryMemory>();

export function endpointsOf(context: IHookFunctions | IWebhookFunctions): Endpoints {
	const staticData = context.getWorkflowStaticData('node');
	staticData.endpoints ??= {};
	return staticData.endpoints as Endpoints;
}

/**
 * The deliveries every n8n process running this trigger has accepted, by kind: kept in the
 * workflow's static data, which n8n loads with each delivery and saves once it is accepted.
 */
export function sharedDeliveriesOf(context: IHookFunctions | IWebhookFunctions): Partial<Record<Kind, SharedDeliveries>> {
	const staticData = context.getWorkflowStaticData('node');
	staticData.deliveries ??= {};
	return staticData.deliveries as Partial<Record<Kind, SharedDeliveries>>;
}

export function webhookUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(context.getNode(), 'n8n has no webhook URL for this trigger');
	return url;
}

export const kindOf = (url: string): Kind => (url.includes('/webhook-test/') ? 'test' : 'production');

/** The stored endpoint of this URL's kind (moving one stored under its full URL by an earlier version). */
export function storedEndpoint(endpoints: Endpoints, url: string): Endpoint | undefined {
	const kind = kindOf(url);
	const legacy = Object.keys(endpoints).find((key) => key.includes('://') && kindOf(key) === kind);
	if (legacy) {
		endpoints[kind] ??= { ...endpoints[legacy], url: legacy };
		delete endpoints[legacy];
	}
	return endpoints[kind];
}

export const memoryKey = (context: IHookFunctions | IWebhookFunctions, kind: Kind) =>
	`${context.getWorkflow().id}:${context.getNode().id}:${kind}`;

export function selectedEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	return context.getNodeParameter('events', []) as string[];
}

/** The events an endpoint is to be subscribed to: Lynkist needs at least one. */
export function eventsToSubscribe(context: IHookFunctions): string[] {
	const events = selectedEvents(context);
	if (events.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Select at least one event', {
			description: 'Lynkist needs at least one event to send to this trigger.',
		});
	}
	return events;
}

export const sameEvents = (a: string[], b: string[]) => a.length === b.length && a.every((e) => b.includes(e));

/** GET or DELETE one endpoint at Lynkist: its data, or undefined when Lynkist has no such endpoint. */
export async function endpointCall(
	context: IHookFunctions | IWebhookFunctions,
	method: 'GET' | 'DELETE',
	id: string,
): Promise<IDataObject | undefined> {
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
export async function registerEndpoint(context: IHookFunctions, url: string, events: string[], description: string): Promise<Endpoint> {
	for (let attempt = 1; ; attempt++) {
		await deleteEndpointsAt(context, url);
		try {
			const { body } = (await lynkistRequest.call(context, {
				method: 'POST',
				path: '/webhooks',
				body: { url, events, description },
			})) as LynkistResponse<{
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
export async function healSecret(context: IWebhookFunctions, endpoint: Endpoint): Promise<boolean> {
	const now = Date.now();
	const last = healChecks.get(endpoint.id) ?? { checkedAt: 0, rotatedAt: 0 };
	if (now - last.checkedAt < HEAL_CHECK_INTERVAL_MS || now - last.rotatedAt < HEAL_ROTATE_INTERVAL_MS) return false;
	healChecks.set(endpoint.id, { ...last, checkedAt: now });
	try {
		const remote = await endpointCall(context, 'GET', endpoint.id);
		const changed = remote && typeof remote.updated_at === 'string' && (!endpoint.secretAt || remote.updated_at > endpoint.secretAt);
		if (!changed) return false;
		const { body } = (await lynkistRequest.call(context, {
			method: 'POST',
			path: `/webhooks/${encodeURIComponent(endpoint.id)}/rotate-secret`,
			idempotent: true,
		})) as LynkistResponse<{
			data?: IDataObject;
		}>;
		if (typeof body.data?.secret !== 'string') return false;
		healChecks.set(endpoint.id, { checkedAt: now, rotatedAt: now });
		endpoint.secret = body.data.secret;
		endpoint.secretAt = String(body.data.updated_at ?? new Date().toISOString());
		context.logger.warn(
			`Lynkist Trigger: the signing secret of webhook ${endpoint.id} had changed at Lynkist; it was renewed and Lynkist's retries will verify again`,
		);
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
export async function keptWhileOff(context: IHookFunctions, id: string): Promise<boolean> {
	const remote = await endpointCall(context, 'GET', id);
	if (!remote) return false;
	const owes =
		remote.is_active !== true || Number(remote.consecutive_failures) > 0 || (await failedDeliveries.call(context, id)).length > 0;
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
