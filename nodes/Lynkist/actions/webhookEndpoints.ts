/**
 * Bringing a Lynkist Trigger's endpoint back after Lynkist disabled it (20 failed deliveries in a
 * row, n8n unreachable): switch it on again and have Lynkist send again, oldest first, every
 * delivery that had failed, so each event of the downtime reaches the trigger (which starts the
 * workflow once per event). Used by the trigger on activation and by Send Template, the node
 * that runs while nothing calls the trigger (n8n calls no trigger method while it runs).
 */
import type { IDataObject } from 'n8n-workflow';

import { DELIVERY_API, PAGE_SIZE_MAX, TRIGGER_ENDPOINT_PREFIX } from '../helpers/constants';
import type { LynkistContext, LynkistRequestOptions, LynkistResponse, Page } from '../transport';
import { lynkistRequest } from '../transport';

/** Lynkist's endpoints as it lists them; none when the key may not read webhooks. */
export async function listEndpoints(this: LynkistContext, options: LynkistRequestOptions = {}): Promise<IDataObject[]> {
	const { status, body } = (await lynkistRequest.call(this, { method: 'GET', path: '/webhooks' }, { ...options, answerStatuses: [403] })) as LynkistResponse<{
		data?: IDataObject[];
	}>;
	return status === 403 ? [] : (body.data ?? []);
}

/** Endpoints a Lynkist Trigger registered for message events that Lynkist has disabled. */
export function disabledTriggerEndpoints(endpoints: IDataObject[]): IDataObject[] {
	return endpoints.filter(
		(e) =>
			e.is_active === false &&
			String(e.description ?? '').startsWith(TRIGGER_ENDPOINT_PREFIX) &&
			Array.isArray(e.events) &&
			(e.events as string[]).some((event) => event.startsWith('message.')),
	);
}

/** Asks Lynkist to send again, oldest first, every delivery of the endpoint that failed; → how many. */
export async function replayFailedDeliveries(this: LynkistContext, endpointId: string, options: LynkistRequestOptions = {}): Promise<number> {
	const failed: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const { body } = (await lynkistRequest.call(
			this,
			{ method: 'GET', path: DELIVERY_API.list(endpointId), qs: { status: DELIVERY_API.failedStatus, page, limit: PAGE_SIZE_MAX } },
			options,
		)) as LynkistResponse<Page>;
		failed.push(...(body.data ?? []));
		if (!body.pagination?.has_next || (body.data ?? []).length === 0) break;
	}
	// A retry sends the same event under the same delivery id: one sent twice is dropped by the trigger.
	for (const delivery of failed) await lynkistRequest.call(this, { method: 'POST', path: DELIVERY_API.retry(String(delivery.id)), idempotent: true }, options);
	return failed.length;
}

/** Switches a disabled endpoint on again and replays what it missed; → the deliveries sent again. */
export async function reviveEndpoint(this: LynkistContext, endpointId: string, options: LynkistRequestOptions = {}): Promise<number> {
	await lynkistRequest.call(this, { method: 'PUT', path: `/webhooks/${encodeURIComponent(endpointId)}`, body: { active: true } }, options);
	return replayFailedDeliveries.call(this, endpointId, options);
}
