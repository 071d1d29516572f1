'use strict';
/** Identifiers the platform hands out. */
const crypto = require('node:crypto');
const { REQUEST_ID_PREFIX, REQUEST_ID_HEX, MESSAGE, WEBHOOK } = require('../constants');

/** Random bytes drawn from a pool refilled a few KB at a time (ids are minted on every request). */
const POOL_SIZE = 4096;
let pool = crypto.randomBytes(POOL_SIZE);
let offset = 0;
function randomBytes(size) {
	if (offset + size > POOL_SIZE) {
		pool = crypto.randomBytes(POOL_SIZE);
		offset = 0;
	}
	offset += size;
	return pool.subarray(offset - size, offset);
}

const hex = (chars) =>
	randomBytes(Math.ceil(chars / 2))
		.toString('hex')
		.slice(0, chars);

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

module.exports = {
	hex,
	uuid: () => crypto.randomUUID(),
	isUuid: (value) => typeof value === 'string' && UUID_PATTERN.test(value),
	requestId: () => REQUEST_ID_PREFIX + hex(REQUEST_ID_HEX),
	apiKey: (mode) => `lk_sk_${mode}_${hex(40)}`,
	tenantId: () => `tn_${hex(12)}`,
	wamid: () => MESSAGE.wamidPrefix + randomBytes(30).toString('base64url'),
	webhookSecret: () => WEBHOOK.secretPrefix + hex(WEBHOOK.secretHexLength),
	deliveryId: () => WEBHOOK.deliveryIdPrefix + hex(24),
	eventId: () => WEBHOOK.eventIdPrefix + hex(24),
	faultId: () => `flt_${hex(12)}`,
};
