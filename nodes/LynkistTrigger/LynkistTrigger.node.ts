import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { endpointCall, onDescription, registerEndpoint, replayFailedDeliveries, updateEndpoint } from '../shared/webhooks/endpoints';
import { healSecret } from '../shared/webhooks/endpointSecret';
import { DELIVERY_HEADERS, ENDPOINT_DESCRIPTION_MAX, MAX_DELIVERY_BYTES, TRIGGER_ENDPOINT_PREFIX } from '../shared/constants';
import { DeliveryMemory } from './dedupe';
import {
	endpointsOf,
	eventsToSubscribe,
	keptWhileOff,
	kindOf,
	memories,
	memoryKey,
	sameEvents,
	selectedEvents,
	sharedDeliveriesOf,
	storedEndpoint,
	webhookUrl,
} from './endpoints';
import { deliveryHeader as header, rawBodyOf, respond as answer, verifyDelivery } from '../shared/webhooks/delivery';
import { normaliseEvent, parseEnvelope } from '../shared/webhooks/envelope';

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
		// message events by their step (On delivered, read), the others in full (On contact created)
		subtitle:
			'={{ "On " + $parameter["events"].map((e) => e.startsWith("message.") ? e.split(".")[1] : e.replace(".", " ").replace("_", " ").replace("followup", "follow-up")).join(", ") }}',
		description:
			'Starts the workflow when a WhatsApp message sent through Lynkist is sent, delivered, read or fails, a customer replies, or a contact changes',
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
					{
						name: 'Contact Communication Added',
						value: 'contact.communication_added',
						description: "A communication was logged on a contact's history",
					},
					{ name: 'Contact Created', value: 'contact.created', description: 'A contact was added in Lynkist' },
					{ name: 'Contact Deleted', value: 'contact.deleted', description: 'A contact was deleted (archived) in Lynkist' },
					{ name: 'Contact Note Added', value: 'contact.note_added', description: 'A note was added to a contact' },
					{ name: 'Contact Updated', value: 'contact.updated', description: "A contact's details changed" },
					{ name: 'Follow-Up Created', value: 'followup.created', description: 'A follow-up was scheduled for a contact' },
					{ name: 'Follow-Up Deleted', value: 'followup.deleted', description: 'A follow-up was deleted' },
					{ name: 'Follow-Up Updated', value: 'followup.updated', description: 'A follow-up changed' },
					{ name: 'Message Delivered', value: 'message.delivered', description: 'The message reached the phone' },
					{ name: 'Message Failed', value: 'message.failed', description: 'WhatsApp could not deliver the message' },
					{ name: 'Message Read', value: 'message.read', description: 'The recipient opened the message' },
					{
						name: 'Message Received',
						value: 'message.received',
						description: "A customer sent a message (opt in: replies are not part of a message's delivery)",
					},
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
				const description = `${TRIGGER_ENDPOINT_PREFIX}${this.getWorkflow().name ?? 'workflow'} (${kind} URL)`.slice(
					0,
					ENDPOINT_DESCRIPTION_MAX,
				);
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
				delete sharedDeliveriesOf(this)[kindOf(url)];
				memories.delete(memoryKey(this, kindOf(url)));
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const rawBody = rawBodyOf(this);
		if (rawBody.length > MAX_DELIVERY_BYTES) return answer(this, 413, { message: 'Payload too large' });

		// Only the endpoint the delivery names can vouch for it.
		const webhookId = header(this, DELIVERY_HEADERS.webhookId);
		const endpoint = Object.values(endpointsOf(this)).find((e) => e.id === webhookId);
		if (!endpoint) return answer(this, 401, { message: webhookId ? 'Unknown Lynkist webhook endpoint' : 'Missing X-Lynkist-Webhook-Id' });
		const verdict = verifyDelivery(this, rawBody, [endpoint.secret]);
		if (!verdict.valid) {
			const renewed = verdict.mismatch && (await healSecret(this, endpoint, 'Lynkist Trigger'));
			const note = renewed ? '; the signing secret had changed at Lynkist and was renewed, retries will verify' : '';
			return answer(this, 401, { message: `Invalid Lynkist signature: ${verdict.reason}${note}` });
		}

		const envelope = parseEnvelope(rawBody);
		// signed by Lynkist but not an event the trigger reads (a test delivery of another shape): answered, so it counts as delivered
		if (!envelope) return answer(this, 200, { received: true, ignored: 'not an event' });
		if (!selectedEvents(this).includes(envelope.type)) return answer(this, 200, { received: true, ignored: 'event not selected' });

		const deliveryId = header(this, DELIVERY_HEADERS.delivery);
		const options = this.getNodeParameter('options', {}) as { ignoreDuplicates?: boolean; includeRaw?: boolean };
		if (options.ignoreDuplicates !== false) {
			const ids = [deliveryId && `delivery:${deliveryId}`, typeof envelope.id === 'string' && `event:${envelope.id}`].filter(
				(id): id is string => typeof id === 'string',
			);
			// The test URL and the production URL are separate Lynkist endpoints that each get every
			// event: each keeps its own memory, so a test listener is not starved by production.
			const kind = this.getMode() === 'manual' ? 'test' : 'production';
			const key = memoryKey(this, kind);
			let memory = memories.get(key);
			if (!memory) memories.set(key, (memory = new DeliveryMemory()));
			const shared = sharedDeliveriesOf(this);
			const first = memory.accept(ids, shared[kind], Date.now());
			shared[kind] = memory.shared;
			if (!first) return answer(this, 200, { received: true, ignored: 'duplicate delivery' });
		}

		const item = normaliseEvent(envelope, { deliveryId, webhookId }, options.includeRaw === true);
		// A small acknowledgement for Lynkist, then the workflow starts.
		answer(this, 200, { received: true });
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([item])] };
	}
}
