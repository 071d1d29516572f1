/**
 * Bringing back what Lynkist stopped delivering while n8n was away. Lynkist gives up on a delivery
 * after its retries and disables an endpoint after 20 failed deliveries in a row; n8n 2.x calls no
 * node method when it starts again, so the next run of a node with the same credential (Send
 * Template, or a Send and Wait question) looks: a Lynkist Trigger's or a Send and Wait node's
 * endpoint that is disabled is switched back on, and every delivery it missed is sent again, oldest
 * first (the trigger starts its workflow once per event; a wait resumes once).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { TEMPLATE_REUSE_MS, TRIGGER_ENDPOINT_PREFIX } from '../../shared/constants';
import { REPLY_ENDPOINT_PREFIX } from '../helpers/waitConstants';
import type { LynkistContext, LynkistRequestOptions } from '../../shared/transport';
import { keyScope, scarceBudgetScope } from '../../shared/transport';
import { isKeptWhileOff, listEndpoints, replayFailedDeliveries, updateEndpoint } from '../../shared/webhooks/endpoints';

/**
 * Endpoints a Lynkist Trigger registered for message events that Lynkist has disabled; not those
 * kept switched off while their workflow is off (n8n does not serve their URL until it is on).
 */
export function disabledTriggerEndpoints(endpoints: IDataObject[]): IDataObject[] {
	return endpoints.filter((e) => {
		const description = String(e.description ?? '');
		return (
			e.is_active === false &&
			description.startsWith(TRIGGER_ENDPOINT_PREFIX) &&
			!isKeptWhileOff(description) &&
			Array.isArray(e.events) &&
			(e.events as string[]).some((event) => event.startsWith('message.'))
		);
	});
}

/** Send and Wait reply endpoints that missed deliveries: disabled, or failing lately (a delivery Lynkist gave up on). */
export const owingReplyEndpoints = (endpoints: IDataObject[]): IDataObject[] =>
	endpoints.filter(
		(e) => String(e.description ?? '').startsWith(REPLY_ENDPOINT_PREFIX) && (e.is_active === false || Number(e.consecutive_failures) > 0),
	);

/** Switches a disabled endpoint on again and replays what it missed; → the deliveries sent again (undefined: Lynkist cannot). */
export async function reviveEndpoint(
	this: LynkistContext,
	endpointId: string,
	options: LynkistRequestOptions = {},
): Promise<number | undefined> {
	await updateEndpoint.call(this, endpointId, { active: true }, options);
	return await replayFailedDeliveries.call(this, endpointId, options);
}

/** When each API key's endpoints were last checked, where checks are spaced. */
const lastCheck = new Map<string, number>();

const missedText = (replayed: number | undefined, unsent: string) =>
	replayed === undefined
		? `, but Lynkist offers no way to send again the deliveries it missed: ${unsent}`
		: `, and its ${replayed} missed deliveries were sent again.`;

/**
 * After a node run that used the API: endpoints Lynkist disabled (n8n was unreachable) are switched
 * back on and their missed deliveries sent again; the editor says so, or says how to recover when
 * that is not allowed (a key without webhooks:write). `spaced`: at most once per TEMPLATE_REUSE_MS
 * per API key in this process (otherwise only while the key's rate budget is scarce: the sends get it).
 */
export async function reviveMessageEndpoints(this: IExecuteFunctions, options: LynkistRequestOptions, spaced = false): Promise<void> {
	const scope = spaced ? await keyScope(this) : await scarceBudgetScope.call(this);
	if (scope) {
		if (Date.now() - (lastCheck.get(scope) ?? -Infinity) < TEMPLATE_REUSE_MS) return;
		lastCheck.set(scope, Date.now());
	}
	let listed: IDataObject[];
	try {
		listed = await listEndpoints.call(this, options);
	} catch {
		return; // a hint is not worth failing a run that has done its work
	}
	for (const endpoint of disabledTriggerEndpoints(listed)) {
		try {
			const replayed = await reviveEndpoint.call(this, String(endpoint.id), options);
			this.addExecutionHints({
				message: `Lynkist had stopped sending message events to ${String(endpoint.url)} after repeated failed deliveries. It was switched back on${missedText(replayed, 'events of that time do not reach the trigger.')} If n8n is still unreachable there, Lynkist will stop again.`,
				location: 'outputPane',
			});
		} catch {
			this.addExecutionHints({
				message: `Lynkist has stopped sending message events to ${String(endpoint.url)} after repeated failed deliveries: delivery, read and failure events of these sends will not reach the Lynkist Trigger there. Make sure n8n is reachable at that address, then turn the trigger's workflow off and on again (or give this credential the webhooks:write scope, and the next send switches it back on).`,
				location: 'outputPane',
			});
		}
	}
	for (const endpoint of owingReplyEndpoints(listed)) await reviveReplies(this, endpoint, options);
}

/** A Send and Wait node's reply endpoint that missed deliveries: on again, and what it missed sent again. */
async function reviveReplies(context: IExecuteFunctions, endpoint: IDataObject, options: LynkistRequestOptions): Promise<void> {
	const id = String(endpoint.id);
	try {
		if (endpoint.is_active !== false) {
			await replayFailedDeliveries.call(context, id, options);
			return;
		}
		const replayed = await reviveEndpoint.call(context, id, options);
		context.addExecutionHints({
			message: `Lynkist had stopped sending customers' replies to ${String(endpoint.url)} (a Send and Wait node's webhook) after repeated failed deliveries. It was switched back on${missedText(replayed, 'executions that waited then take their customer’s next message.')} If n8n is still unreachable there, Lynkist will stop again.`,
			location: 'outputPane',
		});
	} catch (error) {
		context.logger.warn(`Lynkist Send and Wait: could not bring back webhook ${id}: ${(error as Error).message}`);
		context.addExecutionHints({
			message: `Lynkist has stopped sending customers' replies to ${String(endpoint.url)} (a Send and Wait node's webhook) after repeated failed deliveries: executions waiting there do not resume. Make sure n8n is reachable at that address, then publish that workflow again (or give this credential the webhooks:write scope, and the next run switches it back on).`,
			location: 'outputPane',
		});
	}
}
