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
	if (family === 'contact') return { contact_id: ids.uuid(), phone: SAMPLE_PHONE, name: 'Sample Contact', timestamp: now };
	if (family === 'followup') return { followup_id: ids.uuid(), contact_phone: SAMPLE_PHONE, status: type.split('.')[1], timestamp: now };
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

function envelope(type, data, now = new Date().toISOString()) {
	return { id: ids.eventId(), type, created_at: now, data };
}

module.exports = { defaultData, lifecycleData, envelope };
