/**
 * A bounded memory of delivery ids: an id is new the first time it is offered within the window.
 * Entries expire after the window and the oldest are dropped beyond the cap, so memory stays
 * bounded whatever the traffic. Pure: the clock is passed in.
 */
import { DEDUPE_MAX_ENTRIES, DEDUPE_WINDOW_MS } from '../Lynkist/helpers/constants';

export class DeliveryMemory {
	/** id → when it was first seen (ms); insertion order is arrival order. */
	private readonly seen = new Map<string, number>();

	constructor(
		private readonly windowMs = DEDUPE_WINDOW_MS,
		private readonly maxEntries = DEDUPE_MAX_ENTRIES,
	) {}

	get size(): number {
		return this.seen.size;
	}

	/**
	 * Remembers every id in `ids` and says whether none of them was seen within the window.
	 * A delivery is known by its delivery id and by its event id; either one repeated means a repeat.
	 */
	firstTime(ids: string[], nowMs: number): boolean {
		this.forgetExpired(nowMs);
		const repeated = ids.some((id) => this.seen.has(id));
		for (const id of ids) if (!this.seen.has(id)) this.seen.set(id, nowMs);
		while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
		return !repeated;
	}

	private forgetExpired(nowMs: number): void {
		for (const [id, at] of this.seen) {
			if (nowMs - at < this.windowMs) break;
			this.seen.delete(id);
		}
	}
}
