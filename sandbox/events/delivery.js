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

	/** Schedules the next try of the curve; → whether one will come. */
	function scheduleRetry(job) {
		const delay = WEBHOOK.retryDelaysMs[job.attempt - 1];
		if (delay === undefined || !stillDeliverable(job)) return false;
		app.scheduler.after(delay * app.config.timeScale, () => {
			if (stillDeliverable(job)) attempt({ ...job, attempt: job.attempt + 1 });
			else settleRecord(job, 'failed');
		});
		return true;
	}

	function settleRecord(job, status) {
		const record = job.tenant.deliveryRecords.get(job.deliveryId);
		if (record && record.status === 'pending') record.status = status;
	}

	/** The delivery as Lynkist lists it [assumed shape], kept up to date on every attempt. */
	function record(job, result, ok, time, willRetry) {
		if (job.test) return;
		let entry = job.tenant.deliveryRecords.get(job.deliveryId);
		if (!entry) {
			entry = {
				id: job.deliveryId,
				webhook_id: job.endpoint.id,
				event_id: job.eventId,
				event: job.type,
				status: 'pending',
				attempts: 0,
				last_status_code: null,
				created_at: time,
				last_attempt_at: null,
				job,
			};
			job.tenant.deliveryRecords.set(job.deliveryId, entry);
		}
		entry.attempts += 1;
		entry.last_status_code = result.status_code ?? null;
		entry.last_attempt_at = time;
		entry.status = ok ? 'delivered' : willRetry ? 'pending' : 'failed';
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
		const willRetry = !ok && job.retries && scheduleRetry(job);
		record(job, result, ok, time, willRetry);
		return { ok, status_code: result.status_code ?? null, error: result.error ?? null, delivery_id: job.deliveryId };
	}

	function abortAll() {
		for (const req of inflight) req.destroy();
		inflight.clear();
	}

	/**
	 * A retry asked for through the API [assumed]: one attempt now, to the endpoint as it is now
	 * (its current URL and secret); no curve follows it.
	 */
	function retryNow(tenant, entry) {
		const endpoint = tenant.webhooks.get(entry.webhook_id);
		entry.status = 'pending';
		app.scheduler.after(0, () => attempt({ ...entry.job, endpoint, attempt: entry.attempts + 1, retries: false, tamper: null, repeat: 1 }));
	}

	/** An event for a disabled endpoint: kept as a failed delivery with no attempt. */
	function keepMissed(job) {
		const time = new Date().toISOString();
		job.tenant.deliveryRecords.set(job.deliveryId, {
			id: job.deliveryId,
			webhook_id: job.endpoint.id,
			event_id: job.eventId,
			event: job.type,
			status: 'failed',
			attempts: 0,
			last_status_code: null,
			created_at: time,
			last_attempt_at: null,
			job,
		});
	}

	return { attempt, retryNow, keepMissed, abortAll };
}

module.exports = { createDeliverer };
