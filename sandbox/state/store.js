'use strict';
/** All tenants, API keys and uploaded media of one sandbox. */
const { KEY_PATTERN, KEY_MODES, SCOPES } = require('../constants');
const ids = require('../lib/ids');
const { defaultSettings, mergeSettings, createTenant } = require('./tenant');

function createStore(globals) {
	const tenants = new Map();
	const keys = new Map();
	const media = new Map();

	/** → `{ tenant }` or `{ error }`. */
	function addTenant(patch = {}, id = ids.tenantId()) {
		const merged = mergeSettings(defaultSettings(globals), patch);
		if (merged.error) return merged;
		const tenant = createTenant(id, merged.settings);
		tenants.set(id, tenant);
		return { tenant };
	}

	function updateTenant(tenant, patch) {
		const merged = mergeSettings(tenant.settings, patch);
		if (merged.error) return merged;
		tenant.settings = merged.settings;
		return { tenant };
	}

	/** → `{ record }` or `{ error }`. */
	function addKey(tenant, { scopes = SCOPES, mode = 'test', key } = {}) {
		if (!KEY_MODES.includes(mode)) return { error: `mode must be one of ${KEY_MODES.join(', ')}` };
		if (!Array.isArray(scopes) || scopes.some((s) => !SCOPES.includes(s))) {
			return { error: `scopes must be an array of: ${SCOPES.join(', ')}` };
		}
		const value = key ?? ids.apiKey(mode);
		const record = {
			key: value,
			tenant_id: tenant.id,
			mode,
			scopes: [...new Set(scopes)],
			revoked: false,
			created_at: new Date().toISOString(),
		};
		keys.set(value, record);
		tenant.keys.add(value);
		return { record };
	}

	function revokeKey(value) {
		const record = keys.get(value);
		if (record) record.revoked = true;
		return record;
	}

	/** The tenant and key record of a presented key, or null for unknown, revoked or malformed keys. */
	function authenticate(value) {
		if (typeof value !== 'string' || !KEY_PATTERN.test(value)) return null;
		const record = keys.get(value);
		if (!record || record.revoked) return null;
		const tenant = tenants.get(record.tenant_id);
		return tenant ? { tenant, record } : null;
	}

	function keysOf(tenant) {
		return [...tenant.keys].map((value) => keys.get(value));
	}

	function clear() {
		tenants.clear();
		keys.clear();
		media.clear();
	}

	return { globals, tenants, media, addTenant, updateTenant, addKey, revokeKey, authenticate, keysOf, clear };
}

module.exports = { createStore };
