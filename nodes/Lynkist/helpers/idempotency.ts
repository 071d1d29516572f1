/**
 * Idempotency keys that make a repeated send harmless. Pure.
 *
 * Lynkist documents the key as a UUID v4 and replays a request sent again with the same key for
 * 24 hours. Which sends count as "the same" is this package's rule:
 * - `message` (the default): the same message — recipient, template, language and variables,
 *   with a media header counted by its file's content, not by the link an upload returns — from
 *   the same node of the same workflow. Retry On Fail, n8n's execution Retry (a new execution)
 *   and an order webhook posted twice all replay instead of messaging the customer again.
 * - `execution`: additionally the execution the send belongs to, counted from the first run of the
 *   execution (an execution Retry keeps it), and the item: a new execution with identical content
 *   sends again.
 * - a custom key (any text or number, e.g. an order id): that key within the same node.
 */
import { createHash } from 'crypto';

export type DuplicateCheck = 'message' | 'execution';

/** A UUID-v4-shaped key from the SHA-256 of the given parts. The same parts give the same key. */
export function uuidFrom(parts: unknown[]): string {
	const hash = createHash('sha256')
		.update(JSON.stringify(canonical(parts)))
		.digest('hex');
	const variant = ((parseInt(hash[16], 16) & 0x3) | 0x8).toString(16);
	return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

/** Where a send comes from: the workflow and node, and for `execution` the execution's origin and item. */
export interface SendScope {
	workflowId: string;
	nodeId: string;
	/** Stays the same across an execution Retry. */
	origin: string;
	runIndex: number;
	itemIndex: number;
}

/** The automatic key of a send whose identity (the request body, media counted by content) is `message`. */
export function automaticKey(check: DuplicateCheck, scope: SendScope, message: unknown): string {
	const where = [scope.workflowId, scope.nodeId];
	if (check === 'execution') where.push(scope.origin, String(scope.runIndex), String(scope.itemIndex));
	return uuidFrom(['lynkist-send', check, ...where, message]);
}

/** The key sent for a custom Idempotency Key: the value as text, within this node. */
export function customKey(scope: Pick<SendScope, 'workflowId' | 'nodeId'>, value: string): string {
	return uuidFrom(['lynkist-custom', scope.workflowId, scope.nodeId, value]);
}

/** A custom Idempotency Key as text: numbers and other scalars as they print; empty when not given. */
export function customKeyText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') return JSON.stringify(canonical(value));
	return String(value).trim();
}

/** A fingerprint of a request, equal for equal bodies whatever their key order. */
export function fingerprint(value: unknown): string {
	return createHash('sha256')
		.update(JSON.stringify(canonical(value)))
		.digest('hex');
}

/** JSON with object keys sorted, so equal bodies hash equally whatever their key order. */
function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value as Record<string, unknown>)
				.sort()
				.map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
		);
	}
	return value;
}
