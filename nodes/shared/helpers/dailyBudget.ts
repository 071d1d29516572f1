/**
 * Lynkist's daily budget as its answers tell it, and whether saving contacts one by one still
 * fits in what is left of the day: a run that cannot is stopped before it spends any of it,
 * instead of failing half-way once the budget is gone. Pure.
 */
import { DAY_WINDOW_MS, PAGE_SIZE_MAX } from '../constants';
import { itemRanges } from './errors';
import type { RateView } from './rateLimit';

/** What the answers of one day said of its budget. */
export interface DayBudget {
	/** Requests left today, as last seen. */
	remaining: number;
	/** The daily limit, when the answers named it. */
	limit?: number;
	/** When the day's budget resets, ms since the epoch. */
	resetAt: number;
}

/** A run the day's budget cannot hold: the requests it needs, and the day's budget. */
export interface Shortfall extends DayBudget {
	needed: number;
	/** Of `needed`, the ones that look contacts up. */
	lookups: number;
}

/**
 * When the day's budget resets: the end of the UTC day (DAY_WINDOW_MS), or X-RateLimit-Reset
 * where it points later — then it names the day's reset, not the minute's. A reset more than a
 * day ahead is a clock that is off, or a value in other units, and is not taken.
 */
export function dayResetAt(view: RateView, now: number): number {
	const dayEnd = (Math.floor(now / DAY_WINDOW_MS) + 1) * DAY_WINDOW_MS;
	const reset = view.resetAt;
	return reset !== undefined && reset > dayEnd && reset <= now + DAY_WINDOW_MS ? reset : dayEnd;
}

/**
 * The day's budget to go by after an answer: what it says, or the lowest an answer of the same
 * day and limit said (answers can arrive out of order); a new day or another limit (a plan
 * changed) starts afresh. Without X-RateLimit-Remaining-Day, what was known stays.
 */
export function fresherDay(kept: DayBudget | undefined, view: RateView, now: number): DayBudget | undefined {
	if (view.remainingDay === undefined) return kept;
	const seen: DayBudget = { remaining: Math.max(0, view.remainingDay), limit: view.limitDay, resetAt: dayResetAt(view, now) };
	if (!kept || kept.resetAt <= now || kept.limit !== seen.limit) return seen;
	return { ...seen, remaining: Math.min(kept.remaining, seen.remaining) };
}

/**
 * What saving contacts one by one takes: a request per contact, and one search per
 * PAGE_SIZE_MAX phones not looked up yet (the margin for lookups; 0 once the whole contact list
 * was read).
 */
export function oneByOneRequests(contacts: number, phonesToLookUp: number): { needed: number; lookups: number } {
	const lookups = Math.ceil(phonesToLookUp / PAGE_SIZE_MAX);
	return { needed: contacts + lookups, lookups };
}

/**
 * The shortfall when `needs` does not fit in the day's budget; undefined when it fits, and when
 * the budget is not known (no answer named it, or the day it was named has ended).
 */
export function shortfall(needs: { needed: number; lookups: number }, day: DayBudget | undefined, now: number): Shortfall | undefined {
	if (!day || day.resetAt <= now || needs.needed <= day.remaining) return undefined;
	return { ...day, ...needs };
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What the error of a run stopped by `over` says; `itemIndexes` are the items not saved (0-based). */
export function shortfallWords(over: Shortfall, itemIndexes: number[]): { message: string; description: string } {
	const one = itemIndexes.length === 1;
	const contacts = `${one ? 'contact of item' : 'contacts of items'} ${itemRanges(itemIndexes)}`;
	const breakdown = over.lookups ? ` (${count(over.needed - over.lookups, 'save')} and ${count(over.lookups, 'lookup')})` : '';
	const limit = over.limit === undefined ? '' : ` of ${over.limit}`;
	return {
		message:
			`Lynkist's daily limit cannot hold this run: saving the ${contacts} one by one needs ${count(over.needed, 'request')}${breakdown}, ` +
			`and ${over.remaining}${limit} remain today; the day's budget resets at ${new Date(over.resetAt).toISOString()}`,
		description:
			'Nothing was sent for these items: Lynkist refuses the bulk body, so each contact takes a request of its own, and the run ' +
			'would have stopped half-way when the budget ran out. Split the input into smaller runs, run it again after the reset, ' +
			'or use a Lynkist plan with a higher daily limit.',
	};
}
