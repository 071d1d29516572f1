/**
 * Endpoints left behind by Send and Wait for Reply. A wait that ends with a reply or a failure
 * removes its endpoint; one that times out, or is stopped or deleted in n8n, cannot (n8n runs no
 * node code then). A later wait with the same API key finds them by their description: one past
 * its time limit is removed; one Lynkist disabled (its deliveries failed) gets a test delivery,
 * and is removed when n8n no longer waits there, or switched back on, with what it missed sent
 * again, when the execution still waits.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { WAIT_ENDPOINT_PREFIX, WAIT_UNTIL_MARK } from '../../helpers/constants';
import type { LynkistResponse } from '../../transport';
import { lynkistRequest } from '../../transport';
import { endpointCall, reviveEndpoint } from '../webhookEndpoints';

/** The time limit written at the end of a wait endpoint's description, in ms; undefined for a wait without one. */
export function waitLimitOf(description: string): number | undefined {
	const at = description.lastIndexOf(WAIT_UNTIL_MARK);
	if (at < 0) return undefined;
	const ms = Date.parse(description.slice(at + WAIT_UNTIL_MARK.length));
	return Number.isNaN(ms) ? undefined : ms;
}

/** Whether n8n still waits at the endpoint's URL: a test delivery is answered there. */
async function stillWaiting(context: IExecuteFunctions, endpointId: string): Promise<boolean> {
	const { body } = (await lynkistRequest.call(
		context,
		{ method: 'POST', path: `/webhooks/${encodeURIComponent(endpointId)}/test`, idempotent: true },
		{ maxRetries: 0 },
	)) as LynkistResponse<{ data?: IDataObject }>;
	return body?.data?.delivered === true;
}

/**
 * Removes or revives the wait endpoints among `endpoints` (Lynkist's list, read for the new wait's
 * registration anyway); → the endpoints that remain. Never fails the run.
 */
export async function cleanUpWaitEndpoints(this: IExecuteFunctions, endpoints: IDataObject[]): Promise<IDataObject[]> {
	const now = Date.now();
	const removed = new Set<unknown>();
	try {
		for (const endpoint of endpoints) {
			const description = String(endpoint.description ?? '');
			if (!description.startsWith(WAIT_ENDPOINT_PREFIX) || typeof endpoint.id !== 'string') continue;
			const limit = waitLimitOf(description);
			const expired = limit !== undefined && limit < now;
			if (!expired && endpoint.is_active !== false) continue;
			if (!expired && (await stillWaiting(this, endpoint.id))) await reviveEndpoint.call(this, endpoint.id, { maxRetries: 0 });
			else {
				await endpointCall(this, 'DELETE', endpoint.id);
				removed.add(endpoint.id);
			}
		}
	} catch (error) {
		this.logger.warn(
			`Lynkist Send and Wait: could not look through the webhook endpoints left by earlier waits: ${(error as Error).message}`,
		);
	}
	return endpoints.filter((e) => !removed.has(e.id));
}
