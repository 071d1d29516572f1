/**
 * The README's queue-mode command: `npm run dev:queue` brings up the sandbox, Postgres, Redis, an
 * n8n main, two workers and a webhook processor with the package in each, and Ctrl-C leaves
 * nothing running.
 */
import { connect } from 'node:net';

import { Dev, interrupt, killDev, startDev } from './harness/dev';

let dev: Dev;

/** Whether something accepts connections on a loopback port. */
const listening = (port: number) =>
	new Promise<boolean>((done) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			done(true);
		});
		socket.once('error', () => done(false));
	});

/** The ports it printed: n8n's main, the webhook processor's balancer, Postgres, Redis. */
const servicePorts = () => {
	const [, main, webhook] =
		/Queue mode main http:\/\/127\.0\.0\.1:(\d+), 2 workers, 1 webhook processor at http:\/\/127\.0\.0\.1:(\d+)/.exec(dev.output()) ?? [];
	const [, postgres, redis] = /Postgres on 127\.0\.0\.1:(\d+), Redis on 127\.0\.0\.1:(\d+)/.exec(dev.output()) ?? [];
	return [main, webhook, postgres, redis].map(Number);
};

beforeAll(async () => {
	dev = await startDev('dev:queue');
});

afterAll(() => killDev(dev));

it('prints the queue-mode installation and runs the order example through its webhook processor', async () => {
	expect(dev.output()).toMatch(/Queue mode main http:\/\/127\.0\.0\.1:\d+, 2 workers, 1 webhook processor at http:\/\/127\.0\.0\.1:\d+/);
	expect(dev.output()).toMatch(/Postgres on 127\.0\.0\.1:\d+, Redis on 127\.0\.0\.1:\d+/);
	const [, url, body] =
		/curl -X POST (\S+\/webhook\/order-paid) -H 'content-type: application\/json' -d '([^']+)'/.exec(dev.output()) ?? [];
	expect(url).not.toContain(new URL(dev.api.url).port);
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
	expect(await response.json()).toMatchObject({ status: 'accepted' });
	const [execution] = await dev.api.executions('lynkistSendOrd01');
	expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
	expect(await Promise.all(servicePorts().map(listening))).toEqual([true, true, true, true]);
});

it('stops everything it started on Ctrl-C, Postgres and Redis included', async () => {
	expect(await interrupt(dev)).toBe(true);
	expect(await Promise.all(servicePorts().map(listening))).toEqual([false, false, false, false]);
});
