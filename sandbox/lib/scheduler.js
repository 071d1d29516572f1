'use strict';
/** Every timer of a sandbox, so that reset and close can cancel all of them at once. */

function createScheduler() {
	const timers = new Set();
	let stopped = false;

	function after(ms, fn) {
		if (stopped) return null;
		const timer = setTimeout(
			() => {
				timers.delete(timer);
				fn();
			},
			Math.max(0, ms),
		);
		timers.add(timer);
		return timer;
	}

	function sleep(ms) {
		return new Promise((resolve) => after(ms, resolve));
	}

	function cancel(timer) {
		clearTimeout(timer);
		timers.delete(timer);
	}

	function cancelAll() {
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
	}

	/** Cancels everything and refuses new timers. */
	function stop() {
		stopped = true;
		cancelAll();
	}

	return {
		after,
		sleep,
		cancel,
		cancelAll,
		stop,
		get size() {
			return timers.size;
		},
	};
}

module.exports = { createScheduler };
