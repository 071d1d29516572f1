'use strict';
/** A tenant: its settings (changeable through the control surface) and its in-memory data. */
const { PLANS, DEFAULT_LIMITS, TEMPLATE, LIFECYCLE, MEDIA_LIMITS, WEBHOOK } = require('../constants');
const { isObject } = require('../lib/http');

const isInt = (v) => Number.isInteger(v);
const CHECKS = {
	string: (v) => typeof v === 'string' || 'must be a string',
	boolean: (v) => typeof v === 'boolean' || 'must be a boolean',
	inherit: (v) => v === null || typeof v === 'boolean' || 'must be a boolean or null',
	count: (v) => (isInt(v) && v >= 0) || 'must be an integer >= 0',
	positive: (v) => (isInt(v) && v > 0) || 'must be an integer > 0',
	ms: (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0) || 'must be a number of ms >= 0',
	strings: (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string')) || 'must be an array of strings',
	plan: (v) => PLANS.includes(v) || `must be one of ${PLANS.join(', ')}`,
	outcome: (v) => TEMPLATE.reviewOutcomes.includes(v) || `must be one of ${TEMPLATE.reviewOutcomes.join(', ')}`,
	outcomes: (v) =>
		(isObject(v) && Object.values(v).every((o) => o === null || TEMPLATE.reviewOutcomes.includes(o))) ||
		`must map template names to one of ${TEMPLATE.reviewOutcomes.join(', ')} (or null)`,
};

/** The settable fields and their checks; nested objects are merged field by field. */
const SHAPE = {
	name: 'string',
	plan: 'plan',
	api_enabled: 'boolean',
	waba_active: 'boolean',
	allow_http_loopback: 'boolean',
	docs_only: 'inherit',
	latency_ms: 'ms',
	failing_numbers: 'strings',
	limits: { per_minute: 'count', per_day: 'count', minute_window_ms: 'positive', day_window_ms: 'positive' },
	review: { delay_ms: 'ms', outcome: 'outcome', outcomes: 'outcomes' },
	lifecycle: { enabled: 'boolean', sent_ms: 'ms', delivered_ms: 'ms', read_ms: 'ms' },
	media_limits: { image: 'positive', video: 'positive', other: 'positive' },
};

function defaultSettings(globals) {
	return {
		name: '',
		plan: 'premium',
		api_enabled: true,
		waba_active: true,
		allow_http_loopback: globals.allowHttpLoopback ?? WEBHOOK.allowHttpLoopback,
		docs_only: null,
		latency_ms: 0,
		failing_numbers: [],
		limits: { ...DEFAULT_LIMITS },
		review: { delay_ms: TEMPLATE.reviewDelayMs, outcome: 'approved', outcomes: {} },
		lifecycle: { ...LIFECYCLE },
		media_limits: { ...MEDIA_LIMITS, ...globals.mediaLimits },
	};
}

/** Merges `patch` into a copy of `settings`; → `{ settings }` or `{ error }`. */
function mergeSettings(settings, patch, shape = SHAPE, prefix = '') {
	if (!isObject(patch)) return { error: `${prefix || 'body'} must be an object` };
	const next = { ...settings };
	for (const [field, value] of Object.entries(patch)) {
		const rule = shape[field];
		const where = prefix + field;
		if (!rule) return { error: `unknown field '${where}'` };
		if (typeof rule === 'object') {
			const nested = mergeSettings(settings[field], value, rule, `${where}.`);
			if (nested.error) return nested;
			next[field] = nested.settings;
			continue;
		}
		const verdict = CHECKS[rule](value);
		if (verdict !== true) return { error: `${where} ${verdict}` };
		next[field] = rule === 'outcomes' ? mergeOutcomes(settings[field], value) : value;
	}
	return { settings: next };
}

/** Per-name review outcomes; a null outcome removes the override. */
function mergeOutcomes(current, patch) {
	const next = { ...current, ...patch };
	for (const [name, outcome] of Object.entries(next)) if (outcome === null) delete next[name];
	return next;
}

function createTenant(id, settings) {
	return {
		id,
		settings,
		keys: new Set(),
		templates: [],
		messages: [],
		replays: [],
		requests: [],
		idempotency: new Map(),
		windows: { minute: { start: 0, count: 0 }, day: { start: 0, count: 0 } },
		webhooks: new Map(),
		deliveries: [],
		/** delivery id → the delivery as GET /webhooks/{id}/deliveries shows it, with what a retry needs. */
		deliveryRecords: new Map(),
		faults: [],
		media: [],
		/** id → contact; an archived (deleted) one stays, marked `archived`. */
		contacts: new Map(),
	};
}

/**
 * Whether a tenant (or, with none, the sandbox) answers only what Lynkist documents: the tenant's
 * own `docs_only` when it is a boolean, else the sandbox-wide `docsOnly`.
 */
function docsOnly(app, tenant) {
	const own = tenant?.settings.docs_only;
	return typeof own === 'boolean' ? own : app.config.docsOnly === true;
}

module.exports = { defaultSettings, mergeSettings, createTenant, docsOnly };
