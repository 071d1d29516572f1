/**
 * Endpoints left behind by Send and Wait waits that have an endpoint of their own (test runs from
 * the editor, and waits the node's reply endpoint could not record). A wait that ends with a
 * reply or a failure removes its endpoint; one that times out, or is stopped or deleted in n8n,
 * cannot (n8n runs no node code then). A later wait with the same API key finds them by their description: one past
 * its time limit is removed; one Lynkist disabled, or whose deliveries fail, is looked at: n8n is
 * asked whether its execution still waits there (Lynkist is not: it has no documented way to say),
 * and it is removed only when n8n says the execution is gone; otherwise it is kept, switched back
 * on, with what it missed sent again where Lynkist can.
 */
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { ENDPOINT_DESCRIPTION_MAX } from '../../../shared/constants';
import { WAIT_ENDPOINT_PREFIX, WAIT_QUESTION_MARK, WAIT_UNTIL_MARK } from '../../helpers/waitConstants';
import { type Sealed, seal, unseal, withSealed } from '../../helpers/sealedSecret';
import { probeWait, verifyDelivery } from '../../../shared/webhooks/delivery';
import { reviveEndpoint } from '../endpointRevival';
import { endpointCall, rotateSecret, updateEndpoint } from '../../../shared/webhooks/endpoints';

/**
 * A wait endpoint's description: whose it is (workflow, execution), the question's mark (the start
 * of its Idempotency-Key, the same for the same question) and the time limit, within Lynkist's
 * length.
 */
export function waitDescription(workflow: string, executionId: string, idempotencyKey: string, waitTill?: Date): string {
	const tail = `${WAIT_QUESTION_MARK}${questionMark(idempotencyKey)}${waitTill ? `${WAIT_UNTIL_MARK}${waitTill.toISOString()}` : ''}`;
	return `${WAIT_ENDPOINT_PREFIX}${workflow}, execution ${executionId}`.slice(0, ENDPOINT_DESCRIPTION_MAX - tail.length) + tail;
}

/** The question's mark: the start of its Idempotency-Key, the same for the same question. */
export const questionMark = (idempotencyKey: string) => idempotencyKey.replace(/-/g, '').slice(0, 16);

/** The execution a wait endpoint's description names. */
export function waitExecutionOf(description: string): string | undefined {
	return /, execution ([^\s·]+)/.exec(description)?.[1];
}

/** Whether a wait endpoint's description is that of the same question (the same Idempotency-Key). */
export const asksSameQuestion = (description: string, idempotencyKey: string) =>
	description.includes(`${WAIT_QUESTION_MARK}${questionMark(idempotencyKey)}`);

/**
 * The execution that already waits for the answer to this question (the same Idempotency-Key),
 * asked by another execution; undefined when there is none. An endpoint whose execution n8n says
 * is gone is removed (from Lynkist and from `endpoints`): the new execution takes over the wait.
 */
export async function earlierWait(
	this: IExecuteFunctions,
	endpoints: IDataObject[],
	idempotencyKey: string,
	executionId: string,
): Promise<string | undefined> {
	for (const endpoint of endpoints) {
		const description = String(endpoint.description ?? '');
		const other = waitExecutionOf(description);
		if (!description.startsWith(WAIT_ENDPOINT_PREFIX) || !asksSameQuestion(description, idempotencyKey) || other === executionId) continue;
		if ((await probeWait(this, String(endpoint.url), String(endpoint.id))) !== 'gone') return other ?? 'unknown';
		await endpointCall(this, 'DELETE', String(endpoint.id));
		endpoints.splice(endpoints.indexOf(endpoint), 1);
		return await earlierWait.call(this, endpoints, idempotencyKey, executionId);
	}
	return undefined;
}

/** The time limit written at the end of a wait endpoint's description, in ms; undefined for a wait without one. */
export function waitLimitOf(description: string): number | undefined {
	const at = description.lastIndexOf(WAIT_UNTIL_MARK);
	if (at < 0) return undefined;
	const ms = Date.parse(description.slice(at + WAIT_UNTIL_MARK.length));
	return Number.isNaN(ms) ? undefined : ms;
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
			const failing = endpoint.is_active === false || Number(endpoint.consecutive_failures) > 0;
			if (!expired && !failing) continue;
			const state = expired ? 'gone' : await probeWait(this, String(endpoint.url), endpoint.id);
			if (state === 'gone') {
				await endpointCall(this, 'DELETE', endpoint.id);
				removed.add(endpoint.id);
			} else if (endpoint.is_active === false) {
				const replayed = await reviveEndpoint.call(this, endpoint.id, { maxRetries: 0 });
				if (replayed === undefined)
					this.logger.warn(
						`Lynkist Send and Wait: webhook ${endpoint.id} was switched back on; Lynkist cannot send again what it missed, so its execution waits for the customer's next message`,
					);
			}
		}
	} catch (error) {
		this.logger.warn(
			`Lynkist Send and Wait: could not look through the webhook endpoints left by earlier waits: ${(error as Error).message}`,
		);
	}
	return endpoints.filter((e) => !removed.has(e.id));
}

/** A renewed secret, once read in this n8n process, by endpoint: later deliveries need no look-up. */
const renewedSecrets = new Map<string, string>();

/** How often one endpoint's secret may be renewed: forged deliveries cost at most one rotation per interval. */
const RENEW_INTERVAL_MS = 60_000;
const renewedAt = new Map<string, number>();

/** How long after a renewal Lynkist's answer to the sealing (its own change of the endpoint) is not taken for another rotation. */
const OWN_CHANGE_MS = 10_000;

/** The secrets a delivery to this wait may be signed with: the registered one, and the renewed one this process knows. */
export const waitSecrets = (endpointId: string, registered: string) => [
	registered,
	...(renewedSecrets.has(endpointId) ? [renewedSecrets.get(endpointId)!] : []),
];

/**
 * A delivery to a waiting execution signed with a secret it does not know. When the endpoint's
 * description holds a renewed secret sealed for this wait, and the delivery verifies with it:
 * `verified`. Otherwise, when Lynkist shows the endpoint changed after the secret the wait knows
 * (its secret rotated in the Lynkist dashboard), the secret is rotated again and the new one sealed
 * into the description, where every n8n process finds it: `renewed` (Lynkist's retries will
 * verify). A forged delivery (the endpoint unchanged) changes nothing: `refused`.
 */
export async function healWaitSecret(
	context: IWebhookFunctions,
	endpointId: string,
	registered: string,
	rawBody: Buffer,
): Promise<'verified' | 'renewed' | 'refused'> {
	try {
		const remote = await endpointCall(context, 'GET', endpointId);
		if (!remote) return 'refused';
		const description = String(remote.description ?? '');
		const sealed = unseal(description, registered);
		if (sealed && verifyDelivery(context, rawBody, [sealed.secret]).valid) {
			renewedSecrets.set(endpointId, sealed.secret);
			return 'verified';
		}
		const knownAt = Date.parse(sealed?.at ?? String(remote.created_at ?? ''));
		const changedAt = Date.parse(String(remote.updated_at ?? ''));
		const now = Date.now();
		if (!(changedAt > knownAt + (sealed ? OWN_CHANGE_MS : 0)) || now - (renewedAt.get(endpointId) ?? 0) < RENEW_INTERVAL_MS)
			return 'refused';
		renewedAt.set(endpointId, now);
		const renewed: Sealed | undefined = await rotateSecret(context, endpointId);
		if (!renewed) return 'refused';
		await updateEndpoint.call(context, endpointId, {
			description: withSealed(description, seal(renewed, registered), WAIT_UNTIL_MARK, ENDPOINT_DESCRIPTION_MAX),
		});
		renewedSecrets.set(endpointId, renewed.secret);
		context.logger.warn(
			`Lynkist Send and Wait: the signing secret of webhook ${endpointId} had changed at Lynkist; it was renewed and Lynkist's retries will verify again`,
		);
		return 'renewed';
	} catch (error) {
		context.logger.warn(`Lynkist Send and Wait: could not renew the signing secret of webhook ${endpointId}: ${(error as Error).message}`);
		return 'refused';
	}
}
