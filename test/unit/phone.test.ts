import { toE164 } from '../../nodes/Lynkist/helpers/phone';

describe('toE164', () => {
	it.each([
		['+919999999999', '+919999999999'],
		['+91 99999-99999', '+919999999999'],
		['+1 (555) 010-0100', '+15550100100'],
		['0044 20 7946 0000', '+442079460000'],
		['  +49.30.123456  ', '+4930123456'],
		['+44 (0)20 7946 0403', '+442079460403'],
		['+44(0)7700 900123', '+447700900123'],
		['0049 (0) 30 123456', '+4930123456'],
		['+39 06 1234 5678', '+390612345678'],
		['+39 (0)6 1234 5678', '+390612345678'],
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
		[
			'+44 020 7946 0403',
			/a 0 right after the country code \+44: that 0 is dialled only inside the country, leave it out \(e\.g\. \+44 2079460403\)/,
		],
		['+91 99999 9999', /has 9 digits after the country code \+91, and numbers in India have 10/],
		['+1 555 010 01000', /has 11 digits after the country code \+1, and numbers in North America \(\+1\) have 10/],
		['+44 20 7946 04031', /numbers in the United Kingdom have 7, 9 or 10/],
	])('refuses %j', (input, reason) => {
		const result = toE164(input);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toMatch(reason);
	});

	it('a number Lynkist reports is only normalised, not checked against its country', () => {
		expect(toE164('+91 99999 9999', { checkCountry: false })).toEqual({ ok: true, e164: '+91999999999' });
	});

	it('leaves codes it has no lengths for to E.164 alone', () => {
		expect(toE164('+20 100 123 4567')).toEqual({ ok: true, e164: '+201001234567' });
	});

	it('refuses what is not text', () => {
		expect(toE164(undefined).ok).toBe(false);
		expect(toE164({}).ok).toBe(false);
	});
});
