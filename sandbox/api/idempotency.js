'use strict';
/** Per-tenant Idempotency-Key cache: a key remembers the request it came with and its answer. */

/** JSON with object keys sorted at every depth, so equal requests compare equal. */
function canonical(value) {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

/** → `{ entry }` for a replay, `{ mismatch: true }` for a reused key, or null for a new key. */
function recall(tenant, key, fingerprint, now = Date.now()) {
	const entry = tenant.idempotency.get(key);
	if (!entry) return null;
	if (entry.expires <= now) {
		tenant.idempotency.delete(key);
		return null;
	}
	return entry.fingerprint === fingerprint ? { entry } : { mismatch: true };
}

function remember(tenant, key, fingerprint, answer, ttlMs, extra, now = Date.now()) {
	tenant.idempotency.set(key, { fingerprint, answer, expires: now + ttlMs, ...extra });
}

module.exports = { canonical, recall, remember };
