/**
 * The package's webhook endpoints at Lynkist: listing, registering (never leaving an orphan),
 * updating, and having Lynkist send again, oldest first, every delivery that failed (so each
 * event of a downtime reaches n8n once). Bringing back endpoints Lynkist disabled: endpointRevival.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DELIVERY_API, ENDPOINT_DESCRIPTION_MAX, PAGE_SIZE_MAX, TRIGGER_ENDPOINT_OFF_SUFFIX } from '../constants';
import type { LynkistContext, LynkistRequestOptions, LynkistResponse, Page } from '../transport';
import { isUncertain, lynkistPaginate, lynkistRequest } from '../transport';

/** Lynkist's endpoints as it lists them, every page; none when the key may not read webhooks. */
export async function listEndpoints(this: LynkistContext, options: LynkistRequestOptions = {}): Promise<IDataObject[]> {
	// a 403 answer has no `data`: the list ends there, empty
	return await lynkistPaginate.call(this, '/webhooks', Infinity, { ...options, answerStatuses: [403] });
}

/** A trigger endpoint's description while its workflow is off and it is kept for what it owes, and back. */
export const offDescription = (description: string) =>
	isKeptWhileOff(description)
		? description
		: description.slice(0, ENDPOINT_DESCRIPTION_MAX - TRIGGER_ENDPOINT_OFF_SUFFIX.length) + TRIGGER_ENDPOINT_OFF_SUFFIX;
export const onDescription = (description: string) =>
	isKeptWhileOff(description) ? description.slice(0, -TRIGGER_ENDPOINT_OFF_SUFFIX.length) : description;
export const isKeptWhileOff = (description: string) => description.endsWith(TRIGGER_ENDPOINT_OFF_SUFFIX);

/** PUT /webhooks/{id} with the fields to change; → the endpoint as Lynkist now has it. */
export async function updateEndpoint(
	this: LynkistContext,
	endpointId: string,
	changes: IDataObject,
	options: LynkistRequestOptions = {},
): Promise<IDataObject> {
	const { body } = (await lynkistRequest.call(
		this,
		{ method: 'PUT', path: `/webhooks/${encodeURIComponent(endpointId)}`, body: changes },
		options,
	)) as LynkistResponse<{
		data?: IDataObject;
	}>;
	return body?.data ?? {};
}

/** Statuses with which Lynkist says it has no such endpoint: its delivery list [assumed] is not there. */
const NO_SUCH_ENDPOINT = [404, 405];

/**
 * The endpoint's deliveries that failed (its retries ran out, or it was disabled), oldest first;
 * undefined when Lynkist has no delivery list to ask.
 */
export async function failedDeliveries(
	this: LynkistContext,
	endpointId: string,
	options: LynkistRequestOptions = {},
): Promise<IDataObject[] | undefined> {
	const failed: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const { status, body } = (await lynkistRequest.call(
			this,
			{ method: 'GET', path: DELIVERY_API.list(endpointId), qs: { status: DELIVERY_API.failedStatus, page, limit: PAGE_SIZE_MAX } },
			{ ...options, answerStatuses: NO_SUCH_ENDPOINT },
		)) as LynkistResponse<Page>;
		if (NO_SUCH_ENDPOINT.includes(status)) return undefined;
		failed.push(...(body.data ?? []));
		if (!body.pagination?.has_next || (body.data ?? []).length === 0) return failed;
	}
}

/**
 * Asks Lynkist to send again, oldest first, every delivery of the endpoint that failed; → how
 * many, or undefined when Lynkist cannot say which failed (then what was missed stays missed).
 */
export async function replayFailedDeliveries(
	this: LynkistContext,
	endpointId: string,
	options: LynkistRequestOptions = {},
): Promise<number | undefined> {
	const failed = await failedDeliveries.call(this, endpointId, options);
	// A retry sends the same event under the same delivery id: one sent twice is dropped by the trigger.
	for (const delivery of failed ?? [])
		await lynkistRequest.call(this, { method: 'POST', path: DELIVERY_API.retry(String(delivery.id)), idempotent: true }, options);
	return failed?.length;
}

/** An endpoint as registered: its id and signing secret (only the answer to a registration has it). */
export interface RegisteredEndpoint {
	id: string;
	secret: string;
	events: string[];
	url?: string;
	/** When Lynkist last changed the endpoint as far as this secret knows (its created_at or updated_at). */
	secretAt?: string;
}

/** A new signing secret for the endpoint, and when Lynkist made it; undefined when Lynkist's answer has none. */
export async function rotateSecret(context: LynkistContext, endpointId: string): Promise<{ secret: string; at: string } | undefined> {
	const { body } = (await lynkistRequest.call(context, {
		method: 'POST',
		path: `/webhooks/${encodeURIComponent(endpointId)}/rotate-secret`,
		idempotent: true,
	})) as LynkistResponse<{ data?: IDataObject }>;
	const secret = body?.data?.secret;
	return typeof secret === 'string' ? { secret, at: String(body.data?.updated_at ?? new Date().toISOString()) } : undefined;
}

/** GET or DELETE one endpoint at Lynkist: its data, or undefined when Lynkist has no such endpoint. */
export async function endpointCall(context: LynkistContext, method: 'GET' | 'DELETE', id: string): Promise<IDataObject | undefined> {
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
async function deleteEndpointsAt(context: LynkistContext, url: string, listed?: IDataObject[]): Promise<void> {
	// a key without webhooks:read lists nothing; registering still works
	for (const endpoint of listed ?? (await listEndpoints.call(context))) {
		if (endpoint.url === url && typeof endpoint.id === 'string') await endpointCall(context, 'DELETE', endpoint.id);
	}
}

/**
 * POST /webhooks, never leaving an orphan endpoint. Endpoints Lynkist already has for this URL
 * (static data lost with an imported or duplicated workflow, or a registration whose answer was
 * lost) are deleted first: only the answer to a registration carries an endpoint's secret.
 * `listed`: Lynkist's endpoints, when the caller has just read them.
 */
export async function registerEndpoint(
	context: LynkistContext,
	url: string,
	events: string[],
	description: string,
	listed?: IDataObject[],
): Promise<RegisteredEndpoint> {
	for (let attempt = 1; ; attempt++) {
		await deleteEndpointsAt(context, url, attempt === 1 ? listed : undefined);
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

/** Lynkist refuses plain-http URLs; say how to give n8n an https:// one. */
function explainHttpsOnly(context: LynkistContext, url: string, error: unknown): unknown {
	if (!(error instanceof NodeApiError && error.httpCode === '422' && url.startsWith('http:') && /https/i.test(error.message))) {
		return error;
	}
	return new NodeOperationError(context.getNode(), `Lynkist only sends events to https:// URLs, and this n8n's webhook URL is ${url}`, {
		description:
			"Set n8n's WEBHOOK_URL environment variable to the public https:// address this n8n is reached at (for example behind a reverse proxy or a tunnel), then restart n8n and try again.",
	});
}
