'use strict';
/**
 * Injected faults of a tenant, matched by method and path prefix (and, with `to`, by the
 * recipient in a JSON body), each used `times` times, on every `every`-th matching request.
 */
const { API_BASE } = require('../constants');
const ids = require('../lib/ids');

const KINDS = ['latency', 'status', 'reset', 'lost_response'];

/** → `{ fault }` or `{ error }`. */
function buildFault(input) {
	const {
		kind,
		method = '*',
		path = '/',
		to = null,
		times = 1,
		every = 1,
		latency_ms = 0,
		status = 502,
		detail,
		headers = {},
	} = input ?? {};
	if (!KINDS.includes(kind)) return { error: `kind must be one of ${KINDS.join(', ')}` };
	if (typeof method !== 'string' || typeof path !== 'string' || !path.startsWith('/')) {
		return { error: 'method must be a string and path a string starting with /' };
	}
	if (to !== null && typeof to !== 'string') return { error: 'to must be a string (the recipient a body must name)' };
	if (!Number.isInteger(times) || times < 1) return { error: 'times must be an integer >= 1' };
	if (!Number.isInteger(every) || every < 1) return { error: 'every must be an integer >= 1' };
	if (typeof latency_ms !== 'number' || latency_ms < 0) return { error: 'latency_ms must be a number >= 0' };
	if (!Number.isInteger(status) || status < 200 || status > 599) return { error: 'status must be an HTTP status' };
	if (headers === null || typeof headers !== 'object') return { error: 'headers must be an object' };
	const prefix = path.startsWith(API_BASE) ? path.slice(API_BASE.length) || '/' : path;
	return {
		fault: {
			id: ids.faultId(),
			kind,
			method: method.toUpperCase(),
			path: prefix,
			to,
			times,
			every,
			seen: 0,
			latency_ms,
			status,
			detail: detail ?? defaultDetail(status),
			headers,
		},
	};
}

const defaultDetail = (status) => (status === 504 ? 'Upstream timeout' : 'Upstream error');

/** The `to` of a JSON request body, or undefined. */
function recipientOf(body) {
	if (!body?.length) return undefined;
	try {
		return JSON.parse(body.toString('utf8'))?.to;
	} catch {
		return undefined;
	}
}

/**
 * Takes one use of the first fault matching a request, removing it when used up. A fault with
 * `every: N` lets N - 1 matching requests through before each use.
 */
function takeFault(tenant, method, path, body) {
	const index = tenant.faults.findIndex(
		(f) =>
			(f.method === '*' || f.method === method) &&
			path.startsWith(f.path) &&
			(f.to === null || f.to === recipientOf(body)) &&
			++f.seen % f.every === 0,
	);
	if (index === -1) return null;
	const fault = tenant.faults[index];
	fault.times -= 1;
	if (fault.times === 0) tenant.faults.splice(index, 1);
	return fault;
}

module.exports = { buildFault, takeFault };
