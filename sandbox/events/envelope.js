'use strict';
/** Event envelopes: `{ id, type, created_at, data }`, with sensible data for every event type. */
const { META_ERRORS, FAILING_NUMBER_ERROR, WEBHOOK } = require('../constants');
const ids = require('../lib/ids');

const SAMPLE_PHONE = '+15550100001';

function messageData(type, now) {
	const status = type.split('.')[1];
	if (type === 'message.received') {
		return { message_id: ids.wamid(), from: SAMPLE_PHONE, text: 'Hello!', status, timestamp: now };
	}
	const data = {
		message_id: ids.wamid(),
		to: SAMPLE_PHONE,
		status,
		template_name: 'order_confirmation',
		language: 'en_US',
		timestamp: now,
	};
	if (type === 'message.failed') data.error = { ...META_ERRORS[FAILING_NUMBER_ERROR] };
	return data;
}

/** Default `data` of an event type, which the caller's fields override. */
function defaultData(type, now = new Date().toISOString()) {
	const family = type.split('.')[0];
	if (family === 'message') return messageData(type, now);
	// [assumed] a contact event carries the contact; a follow-up event the follow-up, with its contact's id
	if (family === 'contact') {
		const contact = { id: ids.uuid(), first_name: 'Sample', last_name: 'Contact', phone: SAMPLE_PHONE, email: null, company: null };
		return { ...contact, job_title: null, status: 'lead', tags: [], custom_fields: {}, created_at: now, updated_at: now };
	}
	if (family === 'followup') {
		return { id: ids.uuid(), contact_id: ids.uuid(), title: 'Call back', due_at: now, status: 'open', created_at: now, updated_at: now };
	}
	if (family === 'campaign') return { campaign_id: ids.uuid(), name: 'Sample campaign', status: type.split('.')[1], timestamp: now };
	if (type === WEBHOOK.testEvent) return { message: 'This is a test delivery from Lynkist.', timestamp: now };
	return { timestamp: now };
}

/** The data of a lifecycle event of a message the tenant sent. */
function lifecycleData(message, type, now = new Date().toISOString()) {
	const data = {
		message_id: message.message_id,
		to: message.to,
		status: type.split('.')[1],
		template_name: message.template_name,
		language: message.language,
		timestamp: now,
	};
	if (type === 'message.failed') data.error = { ...META_ERRORS[FAILING_NUMBER_ERROR] };
	return data;
}

/**
 * The data of `message.received` when the recipient of `message` answers it [assumed, Meta-shaped]:
 * `context.message_id` names the message answered (left out with `context: false`, as when the
 * customer types without using WhatsApp's reply); a tap on quick-reply button `button` carries
 * `button: {payload, text}` — the payload the send gave that button, or its text when it gave none.
 * → `{ data }`, or `{ error }` when the template has no quick-reply button at that index.
 */
function replyData(message, template, { button, text, from = message.to, context = true }, now = new Date().toISOString()) {
	const data = { message_id: ids.wamid(), from, status: 'received', timestamp: now };
	if (context) data.context = { message_id: message.message_id };
	if (button === undefined) return { data: { ...data, text } };
	const buttons = template?.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
	if (buttons[button]?.type !== 'QUICK_REPLY') return { error: `The message's template has no quick-reply button at index ${button}` };
	const sent = message.components.find((c) => c.type === 'button' && c.sub_type === 'quick_reply' && Number(c.index) === button);
	const payload = sent?.parameters?.[0]?.payload ?? buttons[button].text;
	// `text: undefined` drops the default text of message.received from the JSON: a tap carries none.
	return { data: { ...data, text: undefined, button: { payload, text: buttons[button].text } } };
}

function envelope(type, data, now = new Date().toISOString()) {
	return { id: ids.eventId(), type, created_at: now, data };
}

/** [doc] The body of a docs-only test delivery: `{ event: 'ping', webhook_id, sent_at }`. */
function ping(webhookId, now = new Date().toISOString()) {
	return { event: WEBHOOK.pingEvent, webhook_id: webhookId, sent_at: now };
}

module.exports = { defaultData, lifecycleData, replyData, envelope, ping };
