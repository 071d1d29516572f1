import { dayResetAt, fresherDay, oneByOneRequests, shortfall, shortfallWords } from '../../nodes/shared/helpers/dailyBudget';
import { readRateHeaders } from '../../nodes/shared/helpers/rateLimit';

const DAY = 86_400_000;
const midnight = Date.parse('2030-05-07T00:00:00.000Z');
const now = midnight - 5 * 3_600_000; // 19:00 UTC the day before
const view = (remainingDay: number, limitDay = 1000, resetAt = now + 30_000) =>
	readRateHeaders({
		'x-ratelimit-limit-day': String(limitDay),
		'x-ratelimit-remaining-day': String(remainingDay),
		'x-ratelimit-reset': String(resetAt / 1000),
	});

describe('dayResetAt', () => {
	it('a reset within the minute (the minute window): the end of the UTC day', () => {
		expect(dayResetAt(view(10), now)).toBe(midnight);
		expect(dayResetAt({}, now)).toBe(midnight);
	});

	it('a reset later than the end of the UTC day names the day: taken', () => {
		expect(dayResetAt(view(10, 1000, midnight + 3_600_000), now)).toBe(midnight + 3_600_000);
	});

	it('a reset more than a day ahead (a clock that is off, or milliseconds): not taken', () => {
		expect(dayResetAt(view(10, 1000, now + DAY + 1000), now)).toBe(midnight);
		expect(dayResetAt({ resetAt: now * 1000 }, now)).toBe(midnight);
	});
});

describe('fresherDay', () => {
	it('no day header: nothing known, or what was known stays', () => {
		expect(fresherDay(undefined, readRateHeaders({ 'x-ratelimit-remaining-minute': '5' }), now)).toBeUndefined();
		const kept = { remaining: 40, limit: 1000, resetAt: midnight };
		expect(fresherDay(kept, {}, now)).toBe(kept);
	});

	it('the first answer: what it says, with the day’s reset', () => {
		expect(fresherDay(undefined, view(900), now)).toEqual({ remaining: 900, limit: 1000, resetAt: midnight });
	});

	it('within one day and limit, the lowest count wins (answers arrive out of order)', () => {
		const kept = { remaining: 40, limit: 1000, resetAt: midnight };
		expect(fresherDay(kept, view(42), now)).toEqual(kept);
		expect(fresherDay(kept, view(35), now)).toEqual({ remaining: 35, limit: 1000, resetAt: midnight });
	});

	it('a new day, or another limit (a plan changed): starts afresh', () => {
		const yesterday = { remaining: 3, limit: 1000, resetAt: now - 1 };
		expect(fresherDay(yesterday, view(998), now)).toEqual({ remaining: 998, limit: 1000, resetAt: midnight });
		const before = { remaining: 3, limit: 1000, resetAt: midnight };
		expect(fresherDay(before, view(4003, 5000), now)).toEqual({ remaining: 4003, limit: 5000, resetAt: midnight });
	});
});

describe('oneByOneRequests', () => {
	it('a request per contact, and a search per 100 phones not looked up yet', () => {
		expect(oneByOneRequests(80, 0)).toEqual({ needed: 80, lookups: 0 });
		expect(oneByOneRequests(80, 80)).toEqual({ needed: 81, lookups: 1 });
		expect(oneByOneRequests(1000, 1000)).toEqual({ needed: 1010, lookups: 10 });
		expect(oneByOneRequests(250, 101)).toEqual({ needed: 252, lookups: 2 });
	});
});

describe('shortfall', () => {
	const day = { remaining: 59, limit: 60, resetAt: midnight };

	it('fits (up to every request left): none', () => {
		expect(shortfall({ needed: 20, lookups: 0 }, day, now)).toBeUndefined();
		expect(shortfall({ needed: 59, lookups: 0 }, day, now)).toBeUndefined();
	});

	it('one request more than is left: the numbers', () => {
		expect(shortfall({ needed: 60, lookups: 1 }, day, now)).toEqual({
			needed: 60,
			lookups: 1,
			remaining: 59,
			limit: 60,
			resetAt: midnight,
		});
	});

	it('the budget not known, or known for a day that has ended: none (the run goes ahead)', () => {
		expect(shortfall({ needed: 5000, lookups: 0 }, undefined, now)).toBeUndefined();
		expect(shortfall({ needed: 5000, lookups: 0 }, day, midnight)).toBeUndefined();
	});
});

describe('shortfallWords', () => {
	it('names the items, the requests needed, those left, the reset, and what to do', () => {
		const words = shortfallWords({ needed: 81, lookups: 1, remaining: 59, limit: 60, resetAt: midnight }, [...Array(80).keys()]);
		expect(words.message).toBe(
			"Lynkist's daily limit cannot hold this run: saving the contacts of items 1–80 one by one needs 81 requests (80 saves and 1 lookup), and 59 of 60 remain today; the day's budget resets at 2030-05-07T00:00:00.000Z",
		);
		expect(words.description).toBe(
			'Nothing was sent for these items: Lynkist refuses the bulk body, so each contact takes a request of its own, and the run would have stopped half-way when the budget ran out. Split the input into smaller runs, run it again after the reset, or use a Lynkist plan with a higher daily limit.',
		);
	});

	it('one item, no lookups, no limit named', () => {
		expect(shortfallWords({ needed: 1, lookups: 0, remaining: 0, resetAt: midnight }, [4]).message).toBe(
			"Lynkist's daily limit cannot hold this run: saving the contact of item 5 one by one needs 1 request, and 0 remain today; the day's budget resets at 2030-05-07T00:00:00.000Z",
		);
	});
});
