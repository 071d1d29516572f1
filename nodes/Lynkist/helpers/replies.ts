/**
 * Send and Wait for Reply, the pure part: what a waiting execution keeps to recognise its answer,
 * which Lynkist events answer it, and what the node outputs. No n8n runtime, no I/O.
 *
 * A reply arrives as `message.received` [assumed, Meta-shaped]: `from`, `context.message_id` when
 * the customer answered the message itself, `button: {payload, text}` for a quick-reply tap, `text`
 * for typed text. A `message.failed` of the sent message ends the wait too.
 */
import type { IDataObject } from 'n8n-workflow';

import { REPLY_PAYLOAD_PREFIX } from '../../shared/constants';
import { REPLY_CLOCK_SKEW_MS } from './waitConstants';
import { toE164 } from './phone';
import { isRecord } from '../../shared/helpers/records';

export type ReplyType = 'button' | 'text' | 'either';

/** The events a waiting execution's endpoint is subscribed to. */
export const WAIT_EVENTS = ['message.received', 'message.failed'];

/** What a waiting execution keeps (in its custom data) to recognise the delivery that answers it. */
export interface Waiting {
	/**
	 * The Lynkist endpoint of its own that delivers to this execution, and its signing secret; both
	 * empty when the node's reply endpoint passes its answer on (`routed`).
	 */
	endpointId: string;
	secret: string;
	routed?: boolean;
	/** The message sent, once Lynkist accepted it. */
	messageId?: string;
	to: string;
	/** When the send was made (ms): text that came before it is not an answer. */
	sentAt: number;
}

const WAITING_KEYS = { endpointId: 'w', secret: 's', messageId: 'm', to: 'to', sentAt: 't', routed: 'r' } as const;

/** Compact JSON, within n8n's 255 characters of a custom data value. */
export function serializeWaiting(waiting: Waiting): string {
	return JSON.stringify(Object.fromEntries(Object.entries(WAITING_KEYS).map(([long, short]) => [short, waiting[long as keyof Waiting]])));
}

export function parseWaiting(value: unknown): Waiting | undefined {
	let parsed: unknown;
	try {
		parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
	} catch {
		return undefined;
	}
	if (!isRecord(parsed) || typeof parsed.w !== 'string' || typeof parsed.s !== 'string' || typeof parsed.to !== 'string') return undefined;
	return {
		endpointId: parsed.w,
		secret: parsed.s,
		messageId: typeof parsed.m === 'string' ? parsed.m : undefined,
		to: parsed.to,
		sentAt: Number(parsed.t) || 0,
		...(parsed.r === true ? { routed: true } : {}),
	};
}

/** The template's quick-reply buttons, with their index among all its buttons (the index a send names). */
export function quickReplyButtons(template: IDataObject): Array<{ index: number; text: string }> {
	const components = Array.isArray(template.components) ? (template.components as IDataObject[]) : [];
	const buttons = components.find((c) => String(c.type).toUpperCase() === 'BUTTONS')?.buttons;
	if (!Array.isArray(buttons)) return [];
	return (buttons as IDataObject[]).flatMap((b, index) =>
		String(b.type).toUpperCase() === 'QUICK_REPLY' ? [{ index, text: String(b.text ?? '') }] : [],
	);
}

/** The payload a send gives quick-reply button `index`: it comes back with the tap and names the button. */
export const replyPayload = (index: number) => `${REPLY_PAYLOAD_PREFIX}${index}`;

function buttonIndexOf(payload: unknown): number | undefined {
	if (typeof payload !== 'string' || !payload.startsWith(REPLY_PAYLOAD_PREFIX)) return undefined;
	const index = Number(payload.slice(REPLY_PAYLOAD_PREFIX.length));
	return Number.isInteger(index) ? index : undefined;
}

/** The send-side components that give each quick-reply button its payload. */
export function payloadComponents(template: IDataObject): IDataObject[] {
	return quickReplyButtons(template).map(({ index }) => ({
		type: 'button',
		sub_type: 'quick_reply',
		index: String(index),
		parameters: [{ type: 'payload', payload: replyPayload(index) }],
	}));
}

/** Why Lynkist could not deliver to this n8n URL (it sends to https, or to http on this machine); undefined when it can. */
export function unreachableReason(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `"${url}" is not a URL`;
	}
	if (parsed.protocol === 'https:') return undefined;
	const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname) || parsed.hostname.startsWith('127.');
	if (parsed.protocol === 'http:' && loopback) return undefined;
	return `Lynkist only delivers replies to https:// addresses, and this n8n's address is ${parsed.origin}`;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const timeOf = (value: unknown): number => (typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : NaN);

export type Verdict = { resume: IDataObject } | { ignore: string };

/**
 * Whether an event answers the waiting send, and the output item when it does. An answer is a
 * `message.received` from the recipient, after the send, that answers this message when it says
 * which message it answers, of the reply type asked for; or the `message.failed` of this message.
 */
export function answerOf(type: string, data: unknown, waiting: Waiting, replyType: ReplyType, nowIso: string): Verdict {
	if (!isRecord(data)) return { ignore: 'no event data' };
	const sent = { to: waiting.to, messageId: waiting.messageId ?? null, sentAt: new Date(waiting.sentAt).toISOString() };
	if (type === 'message.failed') {
		if (!waiting.messageId || data.message_id !== waiting.messageId) return { ignore: 'another message failed' };
		const error = isRecord(data.error) ? data.error : {};
		return {
			resume: {
				status: 'failed',
				timedOut: false,
				reply: null,
				...sent,
				failedAt: text(data.timestamp) ?? nowIso,
				error: { code: error.code ?? null, title: text(error.title) ?? null, message: text(error.message) ?? null },
			},
		};
	}
	if (type !== 'message.received') return { ignore: `event ${type}` };
	const from = toE164(data.from, { checkCountry: false });
	if (!from.ok || from.e164 !== waiting.to) return { ignore: 'from another number' };
	const context = isRecord(data.context) ? text(data.context.message_id) : undefined;
	if (context !== undefined && context !== waiting.messageId) return { ignore: 'answers another message' };
	const at = timeOf(data.timestamp);
	// Lynkist's timestamps are whole seconds, and its clock may be a little behind n8n's
	if (context === undefined && at < waiting.sentAt - REPLY_CLOCK_SKEW_MS) return { ignore: 'sent before the question' };
	const button = isRecord(data.button) ? data.button : undefined;
	const typed = text(data.text);
	if (button ? replyType === 'text' : replyType === 'button' || typed === undefined) return { ignore: `not a ${replyType} reply` };
	const index = button ? buttonIndexOf(button.payload) : undefined;
	return {
		resume: {
			status: 'replied',
			timedOut: false,
			replyType: button ? 'button' : 'text',
			reply: button ? (text(button.text) ?? null) : typed,
			button: button ? { index: index ?? null, text: text(button.text) ?? null, payload: text(button.payload) ?? null } : null,
			text: button ? null : typed,
			from: from.e164,
			...sent,
			replyMessageId: text(data.message_id) ?? null,
			answersMessage: context !== undefined,
			repliedAt: Number.isNaN(at) ? nowIso : new Date(at).toISOString(),
		},
	};
}

/** The output when the time limit passes first. */
export function timedOutOutput(waiting: Pick<Waiting, 'to' | 'messageId' | 'sentAt'>, waitTill: Date): IDataObject {
	return {
		status: 'timedOut',
		timedOut: true,
		reply: null,
		to: waiting.to,
		messageId: waiting.messageId ?? null,
		sentAt: new Date(waiting.sentAt).toISOString(),
		waitedUntil: waitTill.toISOString(),
	};
}
