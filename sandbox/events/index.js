'use strict';
/** Everything a tenant's webhook endpoints receive: emitted events, message lifecycles, test pings. */
const { WEBHOOK } = require('../constants');
const ids = require('../lib/ids');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const { defaultData, lifecycleData, envelope, ping } = require('./envelope');
const { createDeliverer } = require('./delivery');

const envelopeBody = (event) => ({ type: event.type, eventId: event.id, body: JSON.stringify(event) });

function createEvents(app) {
	const deliverer = createDeliverer(app);

	/** Endpoints subscribed to an event type, active or not (a disabled one keeps what it misses). */
	const subscribers = (tenant, type) => [...tenant.webhooks.values()].filter((e) => e.events.includes(type));

	/**
	 * Delivers one body to `endpoints`, each `repeat` times under one delivery id; → first-attempt
	 * results. `type` goes in X-Lynkist-Event, `eventId` (or null) in the records. The repeats go one
	 * after the other, or, with `repeatEveryMs`, that many milliseconds apart without waiting for
	 * answers (0: all at once). A disabled endpoint is not called: [assumed] the event is kept for it
	 * as a failed delivery that a retry through the API can send once it is enabled again.
	 */
	function deliverBody(tenant, endpoints, { type, eventId, body }, options = {}) {
		const { repeat = 1, repeatEveryMs = null, tamper = null, retries = true, test = false } = options;
		return Promise.all(
			endpoints.map(async (endpoint) => {
				const job = {
					tenant,
					endpoint,
					deliveryId: ids.deliveryId(),
					eventId,
					type,
					body,
					attempt: 1,
					tamper,
					retries,
					test,
				};
				if (!endpoint.is_active && !test) {
					deliverer.keepMissed(job);
					return { webhook_id: endpoint.id, delivery_id: job.deliveryId, attempts: [] };
				}
				const results = [];
				if (repeatEveryMs === null) for (let i = 0; i < repeat; i++) results.push(await deliverer.attempt(job));
				else {
					const spaced = Array.from({ length: repeat }, (_, i) => sleep(i * repeatEveryMs).then(() => deliverer.attempt(job)));
					results.push(...(await Promise.all(spaced)));
				}
				return { webhook_id: endpoint.id, delivery_id: job.deliveryId, attempts: results };
			}),
		);
	}

	/** Delivers one event envelope, as `deliverBody`. */
	function deliver(tenant, endpoints, event, options) {
		return deliverBody(tenant, endpoints, envelopeBody(event), options);
	}

	/**
	 * Emits an event to the tenant's active subscribers (or to one endpoint, `webhook_id`, whatever
	 * its subscriptions). `data` overrides the type's default data.
	 */
	async function emit(tenant, type, data = {}, options = {}) {
		const event = envelope(type, { ...defaultData(type), ...data });
		const endpoints = options.webhook_id ? [tenant.webhooks.get(options.webhook_id)].filter(Boolean) : subscribers(tenant, type);
		const deliveries = await deliver(tenant, endpoints, event, options);
		return { event, deliveries };
	}

	/**
	 * One test delivery (no retries, endpoint health untouched); → its attempt. [assumed] a
	 * `webhook.test` envelope; with `ping`, Lynkist's documented `{ event: 'ping', webhook_id, sent_at }`.
	 */
	async function testDelivery(tenant, endpoint, { ping: asPing = false } = {}) {
		const options = { retries: false, test: true };
		const test = asPing
			? { type: WEBHOOK.pingEvent, eventId: null, body: JSON.stringify(ping(endpoint.id)) }
			: envelopeBody(envelope(WEBHOOK.testEvent, { ...defaultData(WEBHOOK.testEvent), webhook_id: endpoint.id }));
		const [delivery] = await deliverBody(tenant, [endpoint], test, options);
		return delivery.attempts[0];
	}

	/** After a successful send: sent → delivered → read, or sent → failed for failing numbers. */
	function messageAccepted(tenant, message) {
		const { lifecycle, failing_numbers: failing } = tenant.settings;
		if (!lifecycle.enabled) return;
		const steps = failing.includes(message.to)
			? [
					['message.sent', lifecycle.sent_ms],
					['message.failed', lifecycle.delivered_ms],
				]
			: [
					['message.sent', lifecycle.sent_ms],
					['message.delivered', lifecycle.delivered_ms],
					['message.read', lifecycle.read_ms],
				];
		let at = 0;
		for (const [type, ms] of steps) {
			at = Math.max(at, ms);
			app.scheduler.after(at, () => {
				const data = lifecycleData(message, type);
				message.status = data.status;
				message.events.push({ type, time: data.timestamp });
				const event = envelope(type, data);
				deliver(tenant, subscribers(tenant, type), event);
			});
		}
	}

	return { emit, testDelivery, messageAccepted, retryDelivery: deliverer.retryNow, abortAll: deliverer.abortAll };
}

module.exports = { createEvents };
