'use strict';
/**
 * The public API pipeline: request id → route → auth (401) → faults → plan (403) → scope (403)
 * → rate limit (429) → endpoint. Every answer carries the request id and rate-limit headers.
 * A docs-only tenant (or, without a valid key, a docs-only sandbox) is routed without the
 * `assumed` routes, which Lynkist does not document. A route miss of a known tenant is logged.
 */
const { API_BASE, HEADERS, DETAIL, REQUEST_ID_MAX, REQUEST_LOG_MAX } = require('../constants');
const ids = require('../lib/ids');
const { createRouter } = require('../lib/router');
const { fail, readBody, write } = require('../lib/http');
const rateLimit = require('./rateLimit');
const { takeFault } = require('./faults');
const templates = require('./templates');
const messages = require('./messages');
const media = require('./media');
const webhooks = require('./webhooks');
const contacts = require('./contacts');
const { docsOnly } = require('../state/tenant');

const routes = [...templates.routes, ...messages.routes, ...media.routes, ...webhooks.routes, ...contacts.routes];
const router = createRouter(routes);
const documentedRouter = createRouter(routes.filter((route) => !route.assumed));

/**
 * → as router.match. Docs-only, the `assumed` routes are left out; a request one of them would take
 * is an unknown path (404) even where the path has other methods, e.g. `/contacts/{id}`.
 */
function match(method, path, documentedOnly) {
	if (!documentedOnly) return router.match(method, path);
	const documented = documentedRouter.match(method, path);
	if (documented?.route) return documented;
	return router.match(method, path)?.route?.assumed ? null : documented;
}

/** The client's own X-Request-Id when it is sensible, otherwise a fresh one. */
function requestIdOf(req) {
	const own = req.headers['x-request-id'];
	return typeof own === 'string' && own.length > 0 && own.length <= REQUEST_ID_MAX && /^[\x21-\x7e]+$/.test(own) ? own : ids.requestId();
}

function bearer(req) {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	return match ? match[1] : null;
}

function scopeError(required, current) {
	return fail(403, {
		message: `Missing required scope(s): ${required.join(', ')}`,
		required_permissions: required,
		current_permissions: current,
	});
}

/** Keeps the newest REQUEST_LOG_MAX entries, trimming in batches. */
function logRequest(tenant, entry) {
	tenant.requests.push(entry);
	if (tenant.requests.length >= REQUEST_LOG_MAX * 1.25) tenant.requests.splice(0, tenant.requests.length - REQUEST_LOG_MAX);
}

function createApi(app) {
	return async function handleApi(req, res, path, query) {
		const requestId = requestIdOf(req);
		const base = { [HEADERS.requestId]: requestId };
		const method = req.method;
		const relative = path.slice(API_BASE.length) || '/';
		const auth = app.store.authenticate(bearer(req));
		const tenant = auth?.tenant ?? null;
		const documentedOnly = docsOnly(app, tenant);
		const found = match(method, relative, documentedOnly);
		const idempotencyKey = req.headers['idempotency-key'];
		const log = (status, outcome) =>
			logRequest(tenant, {
				method,
				path,
				status,
				outcome,
				idempotency_key: idempotencyKey ?? null,
				request_id: requestId,
				time: new Date().toISOString(),
			});

		if (!found?.route) {
			const answer = found ? fail(405, DETAIL.methodNotAllowed, { Allow: found.allowed.join(', ') }) : fail(404, DETAIL.notFound);
			if (tenant) log(answer.status, null);
			return write(res, answer, { ...base, ...rateLimit.peek(tenant) });
		}
		if (!tenant) return write(res, fail(401, DETAIL.invalidKey), { ...base, ...rateLimit.peek(null) });

		const { route, params } = found;
		const body = route.body === 'json' ? await readBody(req) : undefined;
		const fault = takeFault(tenant, method, relative, body);
		const latency = tenant.settings.latency_ms + (fault?.kind === 'latency' ? fault.latency_ms : 0);
		if (latency > 0) await app.scheduler.sleep(latency);
		if (fault?.kind === 'reset') {
			log(null, 'reset');
			return req.socket.destroy();
		}
		if (fault?.kind === 'status') {
			log(fault.status, 'fault');
			return write(res, fail(fault.status, fault.detail, fault.headers), { ...base, ...rateLimit.peek(tenant) });
		}

		let answer;
		let limitHeaders = null;
		if (!tenant.settings.api_enabled) {
			answer = fail(403, DETAIL.planDisabled);
		} else if (route.scope && !auth.record.scopes.includes(route.scope)) {
			answer = scopeError([route.scope], auth.record.scopes);
		} else {
			const limit = rateLimit.take(tenant);
			limitHeaders = limit.headers;
			if (!limit.allowed) {
				answer = fail(429, DETAIL.rateLimited, { [HEADERS.retryAfter]: String(limit.retryAfter) });
			} else {
				const ctx = { app, req, tenant, params, query, body, requestId, idempotencyKey, docsOnly: documentedOnly };
				answer = await route.handle(ctx);
			}
		}

		if (fault?.kind === 'lost_response') {
			log(answer.status, 'lost_response');
			return req.socket.destroy();
		}
		log(answer.status, null);
		return write(res, answer, { ...base, ...(limitHeaders ?? rateLimit.peek(tenant)) });
	};
}

module.exports = { createApi };
