/**
 * One per node run, shared by all of its requests: holds them while Lynkist's minute budget is
 * used up — counting the requests already on their way against what the latest answer says is
 * left, so the ones in flight at the end of a window do not run into 429s — and remembers an
 * exhausted daily budget so the remaining items fail at once instead of waiting for hours.
 */
import { sleep } from 'n8n-workflow';

import { RESET_MARGIN_MS } from '../helpers/constants';
import { budgetHold, type BudgetReport, fresherReport, holdUntil, isDailyLimit, readRateHeaders } from '../helpers/rateLimit';
import { parseRetryAfter } from '../helpers/retry';

export class RateGate {
	private resumeAt = 0;

	/** How many requests this gate has let go; each has its number. */
	private sent = 0;

	/** The latest word on the minute window. */
	private report?: BudgetReport;

	/** Set once a 429 says the day's budget is gone: until when, and the limit that was hit. */
	daily?: { until: number; limit?: number };

	/** Waits until a request may go; returns its number, to hand back to `observe` with the answer. */
	async wait(): Promise<number> {
		for (;;) {
			const now = Date.now();
			const budgetReset = budgetHold(this.report, this.sent, now);
			const until = Math.max(this.resumeAt, budgetReset && budgetReset + RESET_MARGIN_MS);
			if (until <= now) return ++this.sent;
			await sleep(until - now);
		}
	}

	/** Takes in the answer to request number `seq`; returns true when it was a 429 that a later retry can get past. */
	observe(status: number, headers: Record<string, string>, seq = 0): boolean {
		const now = Date.now();
		const view = readRateHeaders(headers);
		this.report = fresherReport(this.report, seq, view, now);
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
