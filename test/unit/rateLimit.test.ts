import { holdUntil, isDailyLimit, readRateHeaders } from '../../nodes/Lynkist/helpers/rateLimit';

const headers = (remainingMinute: string, remainingDay = '900', reset = '1000') => ({
	'x-ratelimit-limit-minute': '60',
	'x-ratelimit-remaining-minute': remainingMinute,
	'x-ratelimit-limit-day': '1000',
	'x-ratelimit-remaining-day': remainingDay,
	'x-ratelimit-reset': reset,
});

describe('readRateHeaders', () => {
	it('reads the five headers, the reset in ms', () => {
		expect(readRateHeaders(headers('5'))).toEqual({ limitMinute: 60, remainingMinute: 5, limitDay: 1000, remainingDay: 900, resetAt: 1_000_000 });
	});

	it('leaves out what is missing or unreadable', () => {
		expect(readRateHeaders({ 'x-ratelimit-remaining-minute': 'many' })).toEqual({
			limitMinute: undefined,
			remainingMinute: undefined,
			limitDay: undefined,
			remainingDay: undefined,
			resetAt: undefined,
		});
	});
});

describe('holdUntil', () => {
	const now = 999_000;

	it('does not hold while budget remains', () => {
		expect(holdUntil(200, readRateHeaders(headers('3')), undefined, now)).toBe(0);
	});

	it('holds until the reset once the minute budget is used up', () => {
		expect(holdUntil(200, readRateHeaders(headers('0')), undefined, now)).toBe(1_000_000);
	});

	it('holds a 429 until the reset, or for Retry-After when the reset has passed', () => {
		expect(holdUntil(429, readRateHeaders(headers('0')), 2, now)).toBe(1_000_000);
		expect(holdUntil(429, readRateHeaders(headers('0', '900', '900')), 2, now)).toBe(now + 2000);
		expect(holdUntil(429, {}, undefined, now)).toBe(now + 1000);
	});
});

describe('isDailyLimit', () => {
	it('tells a spent day from a spent minute', () => {
		expect(isDailyLimit(429, readRateHeaders(headers('0', '0')))).toBe(true);
		expect(isDailyLimit(429, readRateHeaders(headers('0', '10')))).toBe(false);
		expect(isDailyLimit(200, readRateHeaders(headers('0', '0')))).toBe(false);
	});
});
