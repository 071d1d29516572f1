import { toE164 } from '../../nodes/Lynkist/helpers/phone';

describe('toE164', () => {
	it.each([
		['+919999999999', '+919999999999'],
		['+91 99999-99999', '+919999999999'],
		['+1 (555) 010-0100', '+15550100100'],
		['0044 20 7946 0000', '+442079460000'],
		['  +49.30.123456  ', '+4930123456'],
	])('normalises %j', (input, e164) => {
		expect(toE164(input)).toEqual({ ok: true, e164 });
	});

	it.each([
		['', /is empty/],
		['9999999999', /no country code/],
		['(555) 010-0100', /no country code/],
		['+0123456789', /not a valid international number/],
		['+12345', /not a valid international number/],
		['+1 234 567', /not a valid international number/],
		['+1234567890123456', /not a valid international number/],
		['+91 99999 abc', /not part of a phone number/],
	])('refuses %j', (input, reason) => {
		const result = toE164(input);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toMatch(reason);
	});

	it('refuses what is not text', () => {
		expect(toE164(undefined).ok).toBe(false);
		expect(toE164({}).ok).toBe(false);
	});
});
