/**
 * Redelivery detection. Each n8n process keeps a bounded memory of the deliveries it has seen. In
 * queue mode a redelivery can reach another webhook processor, so the trigger also keeps a shared
 * record in the workflow's static data, which every process loads with each delivery and n8n saves
 * right after a delivery is accepted. Ids are kept as short hashes. Pure: the clock is passed in.
 */
import { createHash } from 'crypto';

import { DEDUPE_MAX_ENTRIES, DEDUPE_SHARED_MAX_ENTRIES, DEDUPE_WINDOW_MS } from '../shared/constants';

/** The shared record: short id → when it was first seen, in epoch seconds. */
export type SharedDeliveries = Record<string, number>;

/** 72 bits of the id's SHA-256: short to store, and no two ids of one trigger meet by chance. */
export const shortId = (id: string): string => createHash('sha256').update(id).digest('base64url').slice(0, 12);

export class DeliveryMemory {
	/** short id → when it was first seen (ms); insertion order is arrival order. */
	private readonly seen = new Map<string, number>();

	/**
	 * This process's copy of the shared record. The same object goes into the static data of every
	 * delivery this process accepts, so whichever of those n8n saves last writes all this process
	 * knows at that moment — not what it knew when that delivery arrived.
	 */
	readonly shared: SharedDeliveries = {};

	constructor(
		private readonly windowMs = DEDUPE_WINDOW_MS,
		private readonly maxEntries = DEDUPE_MAX_ENTRIES,
		private readonly sharedMax = DEDUPE_SHARED_MAX_ENTRIES,
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
		const keys = ids.map(shortId);
		const repeated = keys.some((key) => this.seen.has(key));
		for (const key of keys) if (!this.seen.has(key)) this.seen.set(key, nowMs);
		while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
		return !repeated;
	}

	/**
	 * Judges a delivery by this process's memory and by `loaded`, the shared record as this request
	 * loaded it. `shared` takes in what `loaded` holds, and a new delivery's ids: saved with a new
	 * delivery or a repeat alike, it puts back entries another process's save of an older copy
	 * overwrote. The newest entries are kept.
	 */
	accept(ids: string[], loaded: SharedDeliveries | undefined, nowMs: number): boolean {
		const oldest = (nowMs - this.windowMs) / 1000;
		const known = (key: string) => (loaded?.[key] ?? this.shared[key] ?? -Infinity) > oldest;
		const first = this.firstTime(ids, nowMs) && !ids.some((id) => known(shortId(id)));
		for (const [key, at] of Object.entries(loaded ?? {})) if (at > oldest && !(key in this.shared)) this.shared[key] = at;
		if (first) for (const id of ids) this.shared[shortId(id)] ??= Math.floor(nowMs / 1000);
		this.trimShared(oldest);
		return first;
	}

	/** Drops expired entries, and beyond the cap the oldest, down to nine tenths of it. */
	private trimShared(oldest: number): void {
		const entries = Object.entries(this.shared);
		for (const [key, at] of entries) if (at <= oldest) delete this.shared[key];
		if (entries.length <= this.sharedMax) return;
		const byAge = Object.entries(this.shared).sort((a, b) => a[1] - b[1]);
		for (const [key] of byAge.slice(0, byAge.length - Math.floor(this.sharedMax * 0.9))) delete this.shared[key];
	}

	private forgetExpired(nowMs: number): void {
		for (const [id, at] of this.seen) {
			if (nowMs - at < this.windowMs) break;
			this.seen.delete(id);
		}
	}
}
