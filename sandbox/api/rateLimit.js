'use strict';
/** Fixed per-tenant windows (per minute, per day), aligned to multiples of their length. */
const { DEFAULT_LIMITS, HEADERS } = require('../constants');

/** Rolls a window forward when `now` has left it; → the window's end (ms). */
function roll(window, length, now) {
	const start = Math.floor(now / length) * length;
	if (window.start !== start) {
		window.start = start;
		window.count = 0;
	}
	return start + length;
}

function headers(limits, minuteCount, dayCount, minuteEnd) {
	return {
		[HEADERS.limitMinute]: String(limits.per_minute),
		[HEADERS.remainingMinute]: String(Math.max(0, limits.per_minute - minuteCount)),
		[HEADERS.limitDay]: String(limits.per_day),
		[HEADERS.remainingDay]: String(Math.max(0, limits.per_day - dayCount)),
		[HEADERS.reset]: String(Math.ceil(minuteEnd / 1000)),
	};
}

/** The headers of a request that is not counted: a tenant's current state, or full default limits. */
function peek(tenant, now = Date.now()) {
	if (!tenant) {
		const end = Math.floor(now / DEFAULT_LIMITS.minute_window_ms + 1) * DEFAULT_LIMITS.minute_window_ms;
		return headers(DEFAULT_LIMITS, 0, 0, end);
	}
	const { limits } = tenant.settings;
	const { minute, day } = tenant.windows;
	const minuteEnd = roll(minute, limits.minute_window_ms, now);
	roll(day, limits.day_window_ms, now);
	return headers(limits, minute.count, day.count, minuteEnd);
}

/** Counts a request, or refuses it: → `{ allowed, headers, retryAfter? }`. */
function take(tenant, now = Date.now()) {
	const { limits } = tenant.settings;
	const { minute, day } = tenant.windows;
	const minuteEnd = roll(minute, limits.minute_window_ms, now);
	const dayEnd = roll(day, limits.day_window_ms, now);
	const dayFull = day.count >= limits.per_day;
	const minuteFull = minute.count >= limits.per_minute;
	if (dayFull || minuteFull) {
		const resetAt = dayFull ? dayEnd : minuteEnd;
		const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
		return { allowed: false, retryAfter, headers: headers(limits, minute.count, day.count, minuteEnd) };
	}
	minute.count += 1;
	day.count += 1;
	return { allowed: true, headers: headers(limits, minute.count, day.count, minuteEnd) };
}

module.exports = { peek, take };
