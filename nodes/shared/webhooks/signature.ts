/**
 * Verifies a Lynkist delivery: `sha256=<hex>` HMAC-SHA256 keyed with the endpoint secret over
 * `"{timestamp}.{raw body}"`, with a timestamp close enough to the receiver's clock. Pure: the
 * clock is passed in; the comparison takes the same time whatever the signature.
 */
import { createHmac, timingSafeEqual } from 'crypto';

import { SIGNATURE_PREFIX, SIGNATURE_TOLERANCE_SECONDS } from '../constants';

export interface SignedDelivery {
	/** The signature header, e.g. `sha256=3f…`. */
	signature: unknown;
	/** The timestamp header: unix seconds. */
	timestamp: unknown;
	/** The body exactly as received. */
	rawBody: Buffer;
}

/** `mismatch`: well formed and on time, but signed with another secret. */
export type Verdict = { valid: true } | { valid: false; reason: string; mismatch?: boolean };

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

export function sign(secret: string, timestamp: string, rawBody: Buffer): Buffer {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** Whether the delivery was signed with one of `secrets` (an endpoint has one; a trigger may hold a test and a production endpoint). */
export function verifySignature(
	delivery: SignedDelivery,
	secrets: string[],
	nowSeconds: number,
	toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): Verdict {
	const { signature, timestamp, rawBody } = delivery;
	if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) {
		return { valid: false, reason: 'missing or malformed timestamp' };
	}
	if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
		return { valid: false, reason: 'timestamp outside the tolerance' };
	}
	if (typeof signature !== 'string' || !SIGNATURE.test(signature)) {
		return { valid: false, reason: 'missing or malformed signature' };
	}
	const given = Buffer.from(signature.slice(SIGNATURE_PREFIX.length), 'hex');
	let matches = false;
	for (const secret of secrets) {
		// every secret is checked, so the time taken does not tell which one matched
		if (timingSafeEqual(given, sign(secret, timestamp, rawBody))) matches = true;
	}
	return matches ? { valid: true } : { valid: false, reason: 'signature does not match', mismatch: true };
}
