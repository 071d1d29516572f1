/** Reading Lynkist's rate-limit headers into when the next request may go. Pure. */
import { MAX_RATE_HOLD_SECONDS } from '../constants';

const MAX_HOLD_MS = MAX_RATE_HOLD_SECONDS * 1000;

export interface RateView {
	limitMinute?: number;
	remainingMinute?: number;
	limitDay?: number;
	remainingDay?: number;
	/** When the current minute window ends, ms since the epoch. */
	resetAt?: number;
}

const num = (value: string | undefined) => {
	if (value === undefined || value === '') return undefined;
	const n = Number(value);
	return Number.isFinite(n) ? n : undefined;
};

/** [doc] The five X-RateLimit-* headers every response carries (lower-cased names). */
export function readRateHeaders(headers: Record<string, string | undefined>): RateView {
	const reset = num(headers['x-ratelimit-reset']);
	return {
		limitMinute: num(headers['x-ratelimit-limit-minute']),
		remainingMinute: num(headers['x-ratelimit-remaining-minute']),
		limitDay: num(headers['x-ratelimit-limit-day']),
		remainingDay: num(headers['x-ratelimit-remaining-day']),
		resetAt: reset === undefined ? undefined : reset * 1000,
	};
}

/**
 * After a response: the moment before which no request should go (0 when there is budget left).
 * - A 429 waits what Retry-After says — also when budget is left, as for a burst limit — or,
 *   without it, until the window resets.
 * - An exhausted minute budget holds requests until the window resets.
 * A hold taken from the server's reset time is at most MAX_RATE_HOLD_SECONDS: a reset further
 * ahead is a clock that is off, or a value in other units, never a minute window.
 */
export function holdUntil(status: number, view: RateView, retryAfterSeconds: number | undefined, now: number): number {
	const bound = now + MAX_HOLD_MS;
	const fromReset = view.resetAt !== undefined && view.resetAt > now ? Math.min(view.resetAt, bound) : undefined;
	if (status === 429) {
		if (retryAfterSeconds !== undefined) return Math.min(now + retryAfterSeconds * 1000, bound);
		return fromReset ?? now + 1000;
	}
	return view.remainingMinute === 0 ? (fromReset ?? 0) : 0;
}

/** True when a 429 is the daily budget, not the minute one: waiting would take hours. */
export function isDailyLimit(status: number, view: RateView): boolean {
	return status === 429 && view.remainingDay === 0;
}

/** What an answer said of the minute window: `remaining` requests left after request number `seq`. */
export interface BudgetReport {
	seq: number;
	remaining: number;
	resetAt: number;
}

/**
 * The report to go by after an answer to request number `seq`: a later window wins, and within
 * one window the answer to the later request (answers can arrive out of order). Its reset is
 * taken as at most MAX_RATE_HOLD_SECONDS ahead, so a skewed clock cannot hold requests for long.
 */
export function fresherReport(kept: BudgetReport | undefined, seq: number, view: RateView, now = Date.now()): BudgetReport | undefined {
	if (view.remainingMinute === undefined || view.resetAt === undefined) return kept;
	const resetAt = Math.min(view.resetAt, now + MAX_HOLD_MS);
	if (kept && (resetAt < kept.resetAt || (resetAt === kept.resetAt && seq <= kept.seq))) return kept;
	return { seq, remaining: view.remainingMinute, resetAt };
}

/**
 * Until when the next request should wait for the minute budget (0: it may go now). Requests
 * numbered after the report's were not counted in it, so each uses up one of what it says is left.
 */
export function budgetHold(report: BudgetReport | undefined, sent: number, now: number): number {
	if (!report || report.resetAt <= now) return 0;
	return report.remaining - (sent - report.seq) > 0 ? 0 : report.resetAt;
}

/**
 * Whether the budget is used by others too (other n8n workers, other apps with a key of the
 * workspace): between two answers of one window, Lynkist counted more requests than this gate
 * could have sent — every request numbered after the earlier answer, and all that were in flight
 * when it came (`inFlightThen`), which Lynkist may have counted after it.
 */
export function othersSpend(earlier: BudgetReport, later: BudgetReport, sent: number, inFlightThen: number): boolean {
	if (later.resetAt !== earlier.resetAt || later.seq <= earlier.seq) return false;
	return earlier.remaining - later.remaining > sent - earlier.seq + inFlightThen;
}

/**
 * When others spend the same budget, each spender going as fast as it can ends the window with
 * all of them in flight at once, and the last ones get 429s. Instead the next request waits for
 * its share of what is left: the time to the reset divided by the requests left. Every spender
 * pacing so, the budget runs out just as the window ends. → the moment the next request may go.
 */
export function paceHold(report: BudgetReport | undefined, sent: number, lastSentAt: number, now: number): number {
	if (!report || report.resetAt <= now) return 0;
	const left = report.remaining - (sent - report.seq);
	if (left <= 0) return report.resetAt;
	return lastSentAt + (report.resetAt - now) / left;
}
