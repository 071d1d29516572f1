'use strict';
/** Everything a tenant's webhook endpoints receive: emitted events, message lifecycles, test pings. */
const { WEBHOOK } = require('../constants');
const ids = require('../lib/ids');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const { defaultData, lifecycleData, envelope } = require('./envelope');
const { createDeliverer } = require('./delivery');

function createEvents(app) {
	const deliverer = createDeliverer(app);

	/** Endpoints subscribed to an event type, active or not (a disabled one keeps what it misses). */
	const subscribers = (tenant, type) => [...tenant.webhooks.values()].filter((e) => e.events.includes(type));

	/**
	 * Delivers one event to `endpoints`, each `repeat` times under one delivery id; → first-attempt
	 * results. The repeats go one after the other, or, with `repeatEveryMs`, that many milliseconds
	 * apart without waiting for answers (0: all at once). A disabled endpoint is not called:
	 * [assumed] the event is kept for it as a failed delivery that a retry through the API can send
	 * once it is enabled again.
	 */
	function deliver(tenant, endpoints, event, { repeat = 1, repeatEveryMs = null, tamper = null, retries = true, test = false } = {}) {
		const body = JSON.stringify(event);
		return Promise.all(
			endpoints.map(async (endpoint) => {
				const job = {
					tenant,
					endpoint,
					deliveryId: ids.deliveryId(),
					eventId: event.id,
					type: event.type,
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

	async function testDelivery(tenant, endpoint) {
		const event = envelope(WEBHOOK.testEvent, { ...defaultData(WEBHOOK.testEvent), webhook_id: endpoint.id });
		const [delivery] = await deliver(tenant, [endpoint], event, { retries: false, test: true });
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
