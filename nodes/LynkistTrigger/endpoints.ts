/**
 * A Lynkist Trigger's endpoints at Lynkist: which one serves which of its n8n URLs (kept in the
 * workflow's static data), registering, moving and deleting them, and renewing a secret rotated
 * in the Lynkist dashboard. Used by the trigger node's webhook methods and webhook().
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { endpointCall, failedDeliveries, offDescription, type RegisteredEndpoint, updateEndpoint } from '../shared/webhooks/endpoints';
import type { DeliveryMemory, SharedDeliveries } from './dedupe';

/** Which of the trigger's two n8n webhook URLs an endpoint serves. */
type Kind = 'production' | 'test';

/** The Lynkist endpoint registered for the test or the production URL. */
type Endpoint = RegisteredEndpoint;

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
		remote.is_active !== true || Number(remote.consecutive_failures) > 0 || ((await failedDeliveries.call(context, id))?.length ?? 0) > 0;
	if (!owes) return false;
	await updateEndpoint.call(context, id, { active: false, description: offDescription(String(remote.description ?? '')) });
	context.logger.info(`Lynkist Trigger: webhook ${id} still owes deliveries; it is kept, switched off, until the workflow is on again`);
	return true;
}
