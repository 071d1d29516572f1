/**
 * Redelivery detection. Each n8n process keeps a bounded memory of the deliveries it has seen; in
 * queue mode a redelivery can reach another webhook processor, so the trigger also keeps a shared
 * record in the workflow's static data, which every process loads with the workflow and n8n saves
 * right after the delivery is accepted. Ids are kept as short hashes. Pure: the clock is passed in.
 */
import { createHash } from 'crypto';

import { DEDUPE_MAX_ENTRIES, DEDUPE_SHARED_MAX_ENTRIES, DEDUPE_WINDOW_MS } from '../Lynkist/helpers/constants';

/** The shared record: short id → when it was first seen, in epoch seconds. */
export type SharedDeliveries = Record<string, number>;

/** 72 bits of the id's SHA-256: short to store, and no two ids of one trigger meet by chance. */
export const shortId = (id: string): string => createHash('sha256').update(id).digest('base64url').slice(0, 12);

export class DeliveryMemory {
	/** short id → when it was first seen (ms); insertion order is arrival order. */
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
		const keys = ids.map(shortId);
		const repeated = keys.some((key) => this.seen.has(key));
		for (const key of keys) if (!this.seen.has(key)) this.seen.set(key, nowMs);
		while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
		return !repeated;
	}

	/** The newest `count` entries, oldest first: `[short id, first seen (ms)]`. */
	recent(count: number): Array<[string, number]> {
		const entries = [...this.seen];
		return entries.slice(Math.max(0, entries.length - count));
	}

	private forgetExpired(nowMs: number): void {
		for (const [id, at] of this.seen) {
			if (nowMs - at < this.windowMs) break;
			this.seen.delete(id);
		}
	}
}

/**
 * Judges one delivery against this process's memory and the shared record. When it is new, also
 * returns the record to save: the shared one without expired entries, plus this process's newest
 * entries — which puts back any that another process's save of an older copy overwrote — the
 * newest `max` kept.
 */
export function judgeDelivery(
	memory: DeliveryMemory,
	shared: SharedDeliveries | undefined,
	ids: string[],
	nowMs: number,
	{ windowMs = DEDUPE_WINDOW_MS, max = DEDUPE_SHARED_MAX_ENTRIES } = {},
): { first: boolean; shared?: SharedDeliveries } {
	const oldest = (nowMs - windowMs) / 1000;
	const known = shared ?? {};
	const first = memory.firstTime(ids, nowMs) && !ids.some((id) => (known[shortId(id)] ?? -Infinity) > oldest);
	if (!first) return { first };
	const merged = new Map(Object.entries(known).filter(([, at]) => at > oldest));
	for (const [key, atMs] of memory.recent(max)) if (!merged.has(key)) merged.set(key, Math.floor(atMs / 1000));
	const newest = [...merged].sort((a, b) => a[1] - b[1]).slice(-max);
	return { first, shared: Object.fromEntries(newest) };
}
