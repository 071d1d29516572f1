import {
	budgetHold,
	fresherReport,
	holdUntil,
	isDailyLimit,
	othersSpend,
	paceHold,
	readRateHeaders,
} from '../../nodes/shared/helpers/rateLimit';

const headers = (remainingMinute: string, remainingDay = '900', reset = '1000') => ({
	'x-ratelimit-limit-minute': '60',
	'x-ratelimit-remaining-minute': remainingMinute,
	'x-ratelimit-limit-day': '1000',
	'x-ratelimit-remaining-day': remainingDay,
	'x-ratelimit-reset': reset,
});

describe('readRateHeaders', () => {
	it('reads the five headers, the reset in ms', () => {
		expect(readRateHeaders(headers('5'))).toEqual({
			limitMinute: 60,
			remainingMinute: 5,
			limitDay: 1000,
			remainingDay: 900,
			resetAt: 1_000_000,
		});
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

	it('holds a 429 for what Retry-After says, else until the reset, else a second', () => {
		expect(holdUntil(429, readRateHeaders(headers('0')), 2, now)).toBe(now + 2000);
		expect(holdUntil(429, readRateHeaders(headers('0', '900', '900')), 2, now)).toBe(now + 2000);
		expect(holdUntil(429, readRateHeaders(headers('0')), undefined, now)).toBe(1_000_000);
		expect(holdUntil(429, {}, undefined, now)).toBe(now + 1000);
	});

	it('a 429 with budget left (a burst limit) waits Retry-After, not the end of the minute window', () => {
		const view = readRateHeaders(headers('49', '900', String((now + 50_000) / 1000)));
		expect(holdUntil(429, view, 1, now)).toBe(now + 1000);
	});

	describe('a server clock that is off, or a reset in other units, holds for at most a minute', () => {
		const ahead = (seconds: number) => String(Math.round(now / 1000 + seconds));
		it.each([
			['an hour ahead', ahead(3600 + 30)],
			['a day ahead', ahead(86_400)],
			['the reset in milliseconds', String(now + 30_000)],
		])('%s', (_, reset) => {
			const view = readRateHeaders(headers('0', '900', reset));
			expect(holdUntil(200, view, undefined, now)).toBe(now + 60_000);
			expect(holdUntil(429, view, undefined, now)).toBe(now + 60_000);
			expect(holdUntil(429, view, 3600, now)).toBe(now + 60_000);
			const report = fresherReport(undefined, 1, view, now);
			expect(report?.resetAt).toBe(now + 60_000);
			expect(budgetHold(report, 1, now)).toBe(now + 60_000);
			expect(budgetHold(report, 1, now + 60_000)).toBe(0);
		});

		it('a clock behind (the reset already past) does not hold, and a 429 then waits Retry-After', () => {
			const view = readRateHeaders(headers('0', '900', ahead(-120)));
			expect(holdUntil(200, view, undefined, now)).toBe(0);
			expect(holdUntil(429, view, 2, now)).toBe(now + 2000);
			expect(budgetHold(fresherReport(undefined, 1, view, now), 1, now)).toBe(0);
		});
	});
});

describe('isDailyLimit', () => {
	it('tells a spent day from a spent minute', () => {
		expect(isDailyLimit(429, readRateHeaders(headers('0', '0')))).toBe(true);
		expect(isDailyLimit(429, readRateHeaders(headers('0', '10')))).toBe(false);
		expect(isDailyLimit(200, readRateHeaders(headers('0', '0')))).toBe(false);
	});
});

describe('fresherReport', () => {
	const view = (remainingMinute: number, resetAt: number) => ({ remainingMinute, resetAt });

	it('keeps the answer to the later request of a window, whatever order answers arrive in', () => {
		const first = fresherReport(undefined, 5, view(40, 2_000));
		expect(first).toEqual({ seq: 5, remaining: 40, resetAt: 2_000 });
		expect(fresherReport(first, 3, view(42, 2_000))).toBe(first);
		expect(fresherReport(first, 7, view(38, 2_000))).toEqual({ seq: 7, remaining: 38, resetAt: 2_000 });
	});

	it('a later window replaces the report; a late answer from an earlier one does not', () => {
		const kept = { seq: 9, remaining: 0, resetAt: 2_000 };
		expect(fresherReport(kept, 10, view(99, 4_000))).toEqual({ seq: 10, remaining: 99, resetAt: 4_000 });
		expect(fresherReport({ seq: 10, remaining: 99, resetAt: 4_000 }, 11, view(0, 2_000))).toEqual({
			seq: 10,
			remaining: 99,
			resetAt: 4_000,
		});
	});

	it('an answer without the headers changes nothing', () => {
		expect(fresherReport(undefined, 1, {})).toBeUndefined();
	});
});

describe('budgetHold', () => {
	const report = { seq: 10, remaining: 3, resetAt: 2_000 };

	it('lets requests go while what was left is not yet taken by requests sent after the report', () => {
		expect(budgetHold(report, 10, 1_000)).toBe(0);
		expect(budgetHold(report, 12, 1_000)).toBe(0);
	});

	it('holds until the reset once the requests on their way use up what was left', () => {
		expect(budgetHold(report, 13, 1_000)).toBe(2_000);
		expect(budgetHold({ ...report, remaining: 0 }, 10, 1_000)).toBe(2_000);
	});

	it('does not hold once the window has reset, or without a report', () => {
		expect(budgetHold(report, 50, 2_000)).toBe(0);
		expect(budgetHold(undefined, 50, 1_000)).toBe(0);
	});
});

describe('othersSpend: is anyone else spending this budget?', () => {
	const at = (seq: number, remaining: number, resetAt = 10_000) => ({ seq, remaining, resetAt });

	it('no, when the drop is what this gate sent since, and what was in flight then', () => {
		expect(othersSpend(at(10, 50), at(15, 42), 18, 3)).toBe(false); // 8 counted ≤ 8 sent since + 3 in flight
		expect(othersSpend(at(10, 50), at(15, 39), 18, 3)).toBe(false); // 11 ≤ 11
	});

	it('yes, when Lynkist counted more than this gate could have sent', () => {
		expect(othersSpend(at(10, 50), at(15, 30), 18, 3)).toBe(true);
	});

	it('never across windows, or from an older answer', () => {
		expect(othersSpend(at(10, 50), at(15, 90, 12_000), 18, 0)).toBe(false);
		expect(othersSpend(at(15, 50), at(10, 10), 18, 0)).toBe(false);
	});
});

describe('paceHold: a share of what is left, when others spend it too', () => {
	it('spaces requests by the time to the reset over the requests left', () => {
		// 10 left (report after request 5 said 12; 2 more sent since), 1 s to the reset: one per 100 ms
		expect(paceHold({ seq: 5, remaining: 12, resetAt: 2000 }, 7, 950, 1000)).toBe(1050);
	});

	it('holds until the reset when nothing is left, and says nothing without a current report', () => {
		expect(paceHold({ seq: 5, remaining: 2, resetAt: 2000 }, 7, 950, 1000)).toBe(2000);
		expect(paceHold(undefined, 7, 950, 1000)).toBe(0);
		expect(paceHold({ seq: 5, remaining: 2, resetAt: 900 }, 7, 950, 1000)).toBe(0);
	});
});
