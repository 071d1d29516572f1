'use strict';
/** The timestamped HMAC every delivery carries, and the ways the control surface can spoil it. */
const crypto = require('node:crypto');
const { WEBHOOK } = require('../constants');
const ids = require('../lib/ids');

const TAMPERS = ['wrong_secret', 'stale_timestamp', 'future_timestamp', 'altered_body', 'missing_signature'];

const sign = (secret, timestamp, body) =>
	WEBHOOK.signaturePrefix + crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

function alter(body) {
	const value = JSON.parse(body);
	value.data = { ...value.data, altered: true };
	return JSON.stringify(value);
}

/** The body and signature headers of one attempt. */
function signedRequest(secret, body, tamper = null, nowSeconds = Math.floor(Date.now() / 1000)) {
	const skew = 2 * WEBHOOK.toleranceSeconds;
	const timestamp = tamper === 'stale_timestamp' ? nowSeconds - skew : tamper === 'future_timestamp' ? nowSeconds + skew : nowSeconds;
	const key = tamper === 'wrong_secret' ? ids.webhookSecret() : secret;
	const headers = { [WEBHOOK.headers.timestamp]: String(timestamp) };
	if (tamper !== 'missing_signature') headers[WEBHOOK.headers.signature] = sign(key, timestamp, body);
	return { body: tamper === 'altered_body' ? alter(body) : body, headers };
}

module.exports = { TAMPERS, sign, signedRequest };
