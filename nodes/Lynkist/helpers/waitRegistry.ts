/**
 * The record of the executions a published Send and Wait node waits in, kept by the node's reply
 * endpoint so that one Lynkist endpoint serves every wait: a customer's message goes to the waits
 * for that customer's number only. Pure: no n8n runtime, no I/O, the clock passed in.
 *
 * n8n has no atomic store a community node can use: the record lives in the workflow's static data,
 * which n8n loads and saves whole, last writer wins, and each n8n process also keeps what it has
 * seen in memory. Merging is a union, so a write that lost another's entries is undone by the next
 * write of any process that knows them; an ended wait leaves a mark (`gone`) so that nobody adds it
 * back.
 */
import { WAIT_RECORD_GONE_MS, WAIT_RECORD_GRACE_MS } from './waitConstants';
import { isRecord } from '../../shared/helpers/records';

/** One waiting execution. */
export interface WaitRecord {
	/** Its signed resume URL (n8n's `/webhook-waiting/…`). */
	url: string;
	/** The number asked, E.164. */
	to: string;
	/** Its time limit (ms), 0 for none. */
	until: number;
	/** The question's mark (the start of its Idempotency-Key): the same question asked twice has the same. */
	q: string;
	/** When it was recorded (ms). */
	at: number;
}

export interface Registry {
	/** By execution id. */
	waits: Record<string, WaitRecord>;
	/** Executions whose wait ended, and when that was learnt (ms). */
	gone: Record<string, number>;
}

export const emptyRegistry = (): Registry => ({ waits: {}, gone: {} });

export function isWaitRecord(value: unknown): value is WaitRecord {
	return (
		isRecord(value) &&
		typeof value.url === 'string' &&
		typeof value.to === 'string' &&
		typeof value.q === 'string' &&
		typeof value.until === 'number' &&
		typeof value.at === 'number'
	);
}

/** A registry read from static data (anything unreadable left out). */
export function readRegistry(value: unknown): Registry {
	const registry = emptyRegistry();
	if (!isRecord(value)) return registry;
	if (isRecord(value.waits)) for (const [id, wait] of Object.entries(value.waits)) if (isWaitRecord(wait)) registry.waits[id] = wait;
	if (isRecord(value.gone)) for (const [id, at] of Object.entries(value.gone)) if (typeof at === 'number') registry.gone[id] = at;
	return registry;
}

/** Whether a wait is past its time limit, with the grace n8n's wait tracker needs (it looks once a minute). */
const expired = (wait: WaitRecord, now: number) => wait.until > 0 && now > wait.until + WAIT_RECORD_GRACE_MS;

/**
 * Both records in one: every wait either knows of, except those ended or past their time limit;
 * marks of ended waits are kept for WAIT_RECORD_GONE_MS.
 */
export function mergeRegistries(a: Registry, b: Registry, now: number): Registry {
	const merged = emptyRegistry();
	for (const source of [a, b]) {
		for (const [id, at] of Object.entries(source.gone)) {
			if (now - at < WAIT_RECORD_GONE_MS) merged.gone[id] = Math.max(merged.gone[id] ?? 0, at);
		}
	}
	for (const source of [a, b]) {
		for (const [id, wait] of Object.entries(source.waits)) {
			if (id in merged.gone || expired(wait, now)) continue;
			const known = merged.waits[id];
			if (!known || wait.at > known.at) merged.waits[id] = wait;
		}
	}
	return merged;
}

/** Whether `stored` holds everything `known` holds (else it is to be written again). */
export function covers(stored: Registry, known: Registry): boolean {
	return (
		Object.keys(known.waits).every((id) => id in stored.waits || id in stored.gone) &&
		Object.keys(known.gone).every((id) => id in stored.gone)
	);
}

export function withWait(registry: Registry, executionId: string, wait: WaitRecord): Registry {
	return { waits: { ...registry.waits, [executionId]: wait }, gone: registry.gone };
}

export function withoutWait(registry: Registry, executionId: string, now: number): Registry {
	const waits = { ...registry.waits };
	delete waits[executionId];
	return { waits, gone: { ...registry.gone, [executionId]: now } };
}

/** The waits for this number, by execution id. */
export function waitsFor(registry: Registry, to: string, now: number): Array<[string, WaitRecord]> {
	return Object.entries(registry.waits).filter(([, wait]) => wait.to === to && !expired(wait, now));
}

/**
 * The execution that asks this question first, when another than `executionId` asks it too (the
 * same question posted twice at once): every process decides alike, so exactly one of them asks.
 */
export function firstAsker(registry: Registry, executionId: string, q: string, now: number): string | undefined {
	const askers = Object.entries(registry.waits)
		.filter(([, wait]) => wait.q === q && !expired(wait, now))
		.sort(([idA, a], [idB, b]) => a.at - b.at || (idA < idB ? -1 : idA > idB ? 1 : 0));
	const first = askers[0]?.[0];
	return first !== undefined && first !== executionId ? first : undefined;
}
