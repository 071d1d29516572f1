/**
 * Turns a Lynkist delivery into the item the trigger outputs: the same flat fields for every
 * message event, whatever Lynkist put where. Pure: no n8n runtime, no I/O.
 */
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../helpers/records';

export interface Envelope {
	id?: unknown;
	type: string;
	created_at?: unknown;
	data?: unknown;
}

export interface DeliveryInfo {
	deliveryId?: string;
	webhookId?: string;
}

/** The envelope of a parsed body, or undefined when it is not one (no object, no `type`). */
export function asEnvelope(body: unknown): Envelope | undefined {
	return isRecord(body) && typeof body.type === 'string' ? (body as unknown as Envelope) : undefined;
}

/** The envelope in a delivery's raw body, or undefined when the body is not JSON or not an envelope. */
export function parseEnvelope(rawBody: Buffer): Envelope | undefined {
	try {
		return asEnvelope(JSON.parse(rawBody.toString('utf8')));
	} catch {
		return undefined;
	}
}

/** An ISO-8601 time from an ISO string or unix seconds / milliseconds; undefined when it is neither. */
export function isoTime(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return new Date(value < 1e12 ? value * 1000 : value).toISOString();
	}
	if (typeof value === 'string' && value !== '') {
		if (/^\d+$/.test(value)) return isoTime(Number(value));
		const ms = Date.parse(value);
		return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
	}
	return undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * A contact or follow-up event [assumed: `data` is the contact, or the follow-up `{id, contact_id,
 * …}`]: the record as Lynkist sends it (as the Contact operations output it) under `contact` or
 * `followUp`, beside the event's fields and the ids a workflow joins on.
 */
function normaliseRecord(envelope: Envelope, data: IDataObject, info: DeliveryInfo): IDataObject {
	const followUp = envelope.type.startsWith('followup.');
	return {
		event: envelope.type,
		...(followUp ? { followUpId: text(data.id), contactId: text(data.contact_id) } : { contactId: text(data.id) }),
		[followUp ? 'followUp' : 'contact']: data,
		timestamp: isoTime(data.updated_at) ?? isoTime(data.timestamp) ?? isoTime(envelope.created_at),
		eventId: text(envelope.id),
		deliveryId: info.deliveryId,
		webhookId: info.webhookId,
	};
}

/** One output item's JSON; fields Lynkist did not send are left out. */
export function normaliseEvent(envelope: Envelope, info: DeliveryInfo, includeRaw: boolean): IDataObject {
	const data = isRecord(envelope.data) ? envelope.data : {};
	if (!envelope.type.startsWith('message.')) return finish(normaliseRecord(envelope, data as IDataObject, info), envelope, includeRaw);
	const error = isRecord(data.error) ? data.error : undefined;
	const context = isRecord(data.context) ? data.context : undefined;
	const button = isRecord(data.button) ? data.button : undefined;
	const item: IDataObject = {
		event: envelope.type,
		messageId: text(data.message_id),
		to: text(data.to),
		from: text(data.from),
		text: text(data.text),
		// a reply [assumed, Meta-shaped]: the message it answers, and the quick-reply button tapped
		replyToMessageId: context ? text(context.message_id) : undefined,
		buttonText: button ? text(button.text) : undefined,
		buttonPayload: button ? text(button.payload) : undefined,
		status: text(data.status) ?? envelope.type.split('.')[1],
		timestamp: isoTime(data.timestamp) ?? isoTime(envelope.created_at),
		templateName: text(data.template_name),
		language: text(data.language),
		errorCode: error ? (error.code as IDataObject[string]) : undefined,
		errorTitle: error ? text(error.title) : undefined,
		errorMessage: error ? text(error.message) : undefined,
		eventId: text(envelope.id),
		deliveryId: info.deliveryId,
		webhookId: info.webhookId,
	};
	return finish(item, envelope, includeRaw);
}

function finish(item: IDataObject, envelope: Envelope, includeRaw: boolean): IDataObject {
	for (const key of Object.keys(item)) if (item[key] === undefined) delete item[key];
	if (includeRaw) item.raw = envelope as unknown as IDataObject;
	return item;
}
