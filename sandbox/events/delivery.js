'use strict';
/** Signed POSTs to webhook endpoints, with the retry curve and endpoint health bookkeeping. */
const http = require('node:http');
const https = require('node:https');
const { WEBHOOK } = require('../constants');
const { signedRequest } = require('./signing');

const isSuccess = (status) => status >= 200 && status < 300;

function createDeliverer(app) {
	const inflight = new Set();

	/** → `{ status_code }` once response headers arrive, or `{ error }`. */
	function post(url, body, headers) {
		return new Promise((resolve) => {
			let settled = false;
			let timer = null;
			let req = null;
			const settle = (result) => {
				if (settled) return;
				settled = true;
				app.scheduler.cancel(timer);
				inflight.delete(req);
				resolve(result);
			};
			try {
				const target = new URL(url);
				const transport = target.protocol === 'https:' ? https : http;
				req = transport.request(target, {
					method: 'POST',
					agent: false,
					headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
				});
			} catch (error) {
				settle({ error: error.message });
				return;
			}
			inflight.add(req);
			req.on('response', (res) => {
				res.resume();
				settle({ status_code: res.statusCode });
			});
			req.on('error', (error) => settle({ error: error.code ?? error.message }));
			timer = app.scheduler.after(app.config.deliveryTimeoutMs, () => {
				settle({ error: 'timeout' });
				req.destroy();
			});
			req.end(body);
		});
	}

	function recordHealth(endpoint, ok, time) {
		if (ok) {
			endpoint.consecutive_failures = 0;
			endpoint.last_success_at = time;
			return;
		}
		endpoint.consecutive_failures += 1;
		endpoint.last_failure_at = time;
		if (endpoint.consecutive_failures >= WEBHOOK.autoDisableAfterFailures) endpoint.is_active = false;
	}

	const stillDeliverable = ({ tenant, endpoint }) =>
		app.store.tenants.get(tenant.id) === tenant && tenant.webhooks.get(endpoint.id) === endpoint && endpoint.is_active;

	function scheduleRetry(job) {
		const delay = WEBHOOK.retryDelaysMs[job.attempt - 1];
		if (delay === undefined || !stillDeliverable(job)) return;
		app.scheduler.after(delay * app.config.timeScale, () => {
			if (stillDeliverable(job)) attempt({ ...job, attempt: job.attempt + 1 });
		});
	}

	/**
	 * One attempt of a delivery. `job`: { tenant, endpoint, deliveryId, eventId, type, body, attempt,
	 * tamper, retries, test }. A test delivery neither retries nor changes the endpoint's health.
	 */
	async function attempt(job) {
		const { tenant, endpoint } = job;
		const signed = signedRequest(endpoint.secret, job.body, job.tamper);
		const headers = {
			'Content-Type': 'application/json',
			'User-Agent': WEBHOOK.userAgent,
			[WEBHOOK.headers.event]: job.type,
			[WEBHOOK.headers.delivery]: job.deliveryId,
			[WEBHOOK.headers.webhookId]: endpoint.id,
			...signed.headers,
		};
		const result = await post(endpoint.url, signed.body, headers);
		const ok = isSuccess(result.status_code);
		const time = new Date().toISOString();
		tenant.deliveries.push({
			webhook_id: endpoint.id,
			url: endpoint.url,
			delivery_id: job.deliveryId,
			event_id: job.eventId,
			event: job.type,
			attempt: job.attempt,
			status_code: result.status_code ?? null,
			error: result.error ?? null,
			ok,
			tamper: job.tamper ?? null,
			time,
		});
		if (!job.test) recordHealth(endpoint, ok, time);
		if (!ok && job.retries) scheduleRetry(job);
		return { ok, status_code: result.status_code ?? null, error: result.error ?? null, delivery_id: job.deliveryId };
	}

	function abortAll() {
		for (const req of inflight) req.destroy();
		inflight.clear();
	}

	return { attempt, abortAll };
}

module.exports = { createDeliverer };
