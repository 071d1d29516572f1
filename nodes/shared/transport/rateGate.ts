/**
 * One per API key in an n8n process, shared by all of its requests: holds them while Lynkist's
 * minute budget is used up — counting the requests already on their way against what the latest
 * answer says is left, so the ones in flight at the end of a window do not run into 429s — paces
 * them when others spend the same budget (other workers in queue mode), and remembers an
 * exhausted daily budget so the remaining items fail at once instead of waiting for hours — and
 * what the answers said is left of the day, so a run too big for it can stop before it starts.
 */
import { sleep } from 'n8n-workflow';

import { RESET_MARGIN_MS, SCARCE_BUDGET_MEMORY_MS, SHARED_BUDGET_MEMORY_MS } from '../constants';
import { type DayBudget, fresherDay } from '../helpers/dailyBudget';
import {
	budgetHold,
	type BudgetReport,
	fresherReport,
	holdUntil,
	isDailyLimit,
	othersSpend,
	paceHold,
	readRateHeaders,
} from '../helpers/rateLimit';
import { parseRetryAfter } from '../helpers/retry';

export class RateGate {
	private resumeAt = 0;

	/** How many requests this gate has let go; each has its number. */
	private sent = 0;

	/** How many answers have come back. */
	private answered = 0;

	/** When the last request went. */
	private lastSentAt = 0;

	/** The latest word on the minute window, and how many requests were in flight when it came. */
	private report?: BudgetReport;
	private inFlightAtReport = 0;

	/** Until when requests are paced, because others were seen spending the same budget. */
	private pacedUntil = 0;

	/** When a request last had to wait for budget. */
	private heldAt = -Infinity;

	/** Set once a 429 says the day's budget is gone: until when, and the limit that was hit. */
	daily?: { until: number; limit?: number };

	/** What the answers said of the day's budget. */
	private day?: DayBudget;

	/** Waits until a request may go; returns its number, to hand back to `observe` with the answer. */
	async wait(): Promise<number> {
		for (;;) {
			const now = Date.now();
			const budgetReset = budgetHold(this.report, this.sent, now);
			let until = Math.max(this.resumeAt, budgetReset && budgetReset + RESET_MARGIN_MS);
			if (until <= now && now < this.pacedUntil) until = paceHold(this.report, this.sent, this.lastSentAt, now);
			if (until <= now) {
				this.lastSentAt = now;
				return ++this.sent;
			}
			this.heldAt = now;
			await sleep(until - now);
		}
	}

	/** Whether requests have had to wait for budget within the last SCARCE_BUDGET_MEMORY_MS. */
	scarce(now = Date.now()): boolean {
		return now - this.heldAt < SCARCE_BUDGET_MEMORY_MS;
	}

	/**
	 * What is left of today's budget, as Lynkist's answers last said it (X-RateLimit-Remaining-Day):
	 * undefined before any answer said it, and once the day it was said in has ended.
	 */
	today(now = Date.now()): DayBudget | undefined {
		if (this.daily && this.daily.until > now) return { remaining: 0, limit: this.daily.limit, resetAt: this.daily.until };
		return this.day && this.day.resetAt > now ? this.day : undefined;
	}

	/** Takes in the answer to request number `seq`; returns true when it was a 429 that a later retry can get past. */
	observe(status: number, headers: Record<string, string>, seq = 0): boolean {
		const now = Date.now();
		const view = readRateHeaders(headers);
		this.answered += 1;
		this.day = fresherDay(this.day, view, now);
		const earlier = this.report;
		this.report = fresherReport(earlier, seq, view, now);
		if (this.report !== earlier) {
			if (earlier && othersSpend(earlier, this.report!, this.sent, this.inFlightAtReport)) this.pacedUntil = now + SHARED_BUDGET_MEMORY_MS;
			this.inFlightAtReport = this.sent - this.answered;
		}
		const retryAfter = parseRetryAfter(headers['retry-after'], now);
		if (isDailyLimit(status, view)) {
			this.daily = { until: now + (retryAfter ?? 0) * 1000, limit: view.limitDay };
			return false;
		}
		const hold = holdUntil(status, view, retryAfter, now);
		if (hold > this.resumeAt) this.resumeAt = hold + RESET_MARGIN_MS;
		return status === 429;
	}
}

/**
 * One rate gate per API key in this n8n process, shared by every node run and execution that uses
 * the key: what one run learns of Lynkist's budget, the next run knows before its first request.
 */
const gates = new Map<string, RateGate>();

/** The rate gate of the API key whose identity (in this process) is `scope`. */
export function gateOf(scope: string): RateGate {
	let gate = gates.get(scope);
	if (!gate) gates.set(scope, (gate = new RateGate()));
	return gate;
}
