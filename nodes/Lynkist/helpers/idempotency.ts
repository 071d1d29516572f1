/** Idempotency keys that make a repeated send harmless. Pure. */
import { createHash } from 'crypto';

/**
 * A UUID-v4-shaped key derived from what identifies one send: the execution, the node, the item
 * and the exact request body. The same item of the same run always gets the same key — so n8n's
 * Retry On Fail and the transport's own retries replay instead of sending twice — while a
 * different message (another loop iteration, another recipient) gets another key.
 */
export function idempotencyKey(parts: { executionId: string; nodeId: string; itemIndex: number; body: unknown }): string {
	const hash = createHash('sha256')
		.update(JSON.stringify([parts.executionId, parts.nodeId, parts.itemIndex, canonical(parts.body)]))
		.digest('hex');
	const variant = ((parseInt(hash[16], 16) & 0x3) | 0x8).toString(16);
	return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
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
