import { createHmac } from 'node:crypto';

import { verifySignature } from '../../nodes/shared/webhooks/signature';

const SECRET = 'whsec_' + 'ab'.repeat(32);
const NOW = 1_760_000_000;
const BODY = Buffer.from('{"id":"evt_1","type":"message.sent","data":{"message_id":"wamid.1"}}');

const signed = (secret = SECRET, timestamp = String(NOW), body = BODY) =>
	'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body.toString()}`).digest('hex');

const verify = (overrides: Partial<{ signature: unknown; timestamp: unknown; rawBody: Buffer }>, secrets = [SECRET], now = NOW) =>
	verifySignature({ signature: signed(), timestamp: String(NOW), rawBody: BODY, ...overrides }, secrets, now);

describe('verifySignature', () => {
	it('accepts what Lynkist signs: sha256 over "{timestamp}.{raw body}" with the endpoint secret', () => {
		expect(verify({})).toEqual({ valid: true });
	});

	it('accepts a delivery signed with any one of the stored secrets (test and production endpoints)', () => {
		expect(verify({}, ['whsec_other', SECRET])).toEqual({ valid: true });
	});

	it('accepts timestamps up to 300 s either side of the clock', () => {
		expect(verify({}, [SECRET], NOW + 300).valid).toBe(true);
		expect(verify({}, [SECRET], NOW - 300).valid).toBe(true);
	});

	it.each([
		['no signature', { signature: undefined }],
		['an empty signature', { signature: '' }],
		['a signature without the sha256= prefix', { signature: signed().slice(7) }],
		['upper-case hex', { signature: 'sha256=' + signed().slice(7).toUpperCase() }],
		['a truncated signature', { signature: signed().slice(0, -2) }],
		['a signature made with another secret', { signature: signed('whsec_wrong') }],
		['a body with one byte changed', { rawBody: Buffer.from(BODY.toString().replace('wamid.1', 'wamid.2')) }],
		['a body with a byte added', { rawBody: Buffer.concat([BODY, Buffer.from(' ')]) }],
		['no timestamp', { timestamp: undefined }],
		['a non-numeric timestamp', { timestamp: 'yesterday' }],
		['a negative timestamp', { timestamp: '-1' }],
		['a timestamp in milliseconds', { timestamp: String(NOW * 1000) }],
		['a signature over another timestamp', { timestamp: String(NOW + 1) }],
		['a repeated header (array)', { signature: [signed(), signed()] }],
	])('rejects %s', (_name, overrides) => {
		expect(verify(overrides).valid).toBe(false);
	});

	it('rejects a correctly signed delivery 301 s stale or in the future', () => {
		const stale = String(NOW - 301);
		const future = String(NOW + 301);
		expect(verify({ timestamp: stale, signature: signed(SECRET, stale) })).toEqual({
			valid: false,
			reason: 'timestamp outside the tolerance',
		});
		expect(verify({ timestamp: future, signature: signed(SECRET, future) }).valid).toBe(false);
	});

	it('rejects everything when no endpoint secret is stored', () => {
		expect(verify({}, []).valid).toBe(false);
	});
});
