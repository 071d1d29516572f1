/**
 * One per node run, shared by all of its requests: holds them while Lynkist's minute budget is
 * used up, and remembers an exhausted daily budget so the remaining items fail at once instead of
 * waiting for hours.
 */
import { sleep } from 'n8n-workflow';

import { RESET_MARGIN_MS } from '../helpers/constants';
import { holdUntil, isDailyLimit, readRateHeaders } from '../helpers/rateLimit';
import { parseRetryAfter } from '../helpers/retry';

export class RateGate {
	private resumeAt = 0;

	/** Set once a 429 says the day's budget is gone: until when, and the limit that was hit. */
	daily?: { until: number; limit?: number };

	async wait(): Promise<void> {
		for (let ms = this.resumeAt - Date.now(); ms > 0; ms = this.resumeAt - Date.now()) {
			await sleep(ms);
		}
	}

	/** Takes in a response; returns true when it was a 429 that a later retry can get past. */
	observe(status: number, headers: Record<string, string>): boolean {
		const now = Date.now();
		const view = readRateHeaders(headers);
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
