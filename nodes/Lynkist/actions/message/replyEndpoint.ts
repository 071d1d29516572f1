/**
 * Send and Wait for Reply in a published workflow: one Lynkist endpoint per node, however many
 * executions wait. n8n registers the node's reply webhook when the workflow is published; its
 * endpoint gets every \`message.received\` and \`message.failed\` once and passes each on only to the
 * executions waiting for that customer's number (replyRouting), found in the node's record of
 * waits (helpers/waitRegistry), which waiting executions keep up to date (replyRecord).
 *
 * What the endpoint passes on, and what a waiting node asks of it, is signed with a secret derived
 * from the credential's API key: only a delivery Lynkist signed, checked there, resumes a wait.
 */
import type { IDataObject, IExecuteFunctions, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError, sleep } from 'n8n-workflow';

import { ENDPOINT_DESCRIPTION_MAX, SIGNATURE_PREFIX } from '../../../shared/constants';
import { FORWARD_HEADERS, REPLY_ENDPOINT_PREFIX, REPLY_REPLAY_CHECK_MS } from '../../helpers/waitConstants';
import { WAIT_EVENTS } from '../../helpers/replies';
import { covers, emptyRegistry, mergeRegistries, readRegistry, type Registry } from '../../helpers/waitRegistry';
import { sign, verifySignature } from '../../../shared/webhooks/signature';
import type { LynkistContext } from '../../../shared/transport';
import { forwardingSecret } from './forwarding';
import { deliveryHeader as header } from '../../../shared/webhooks/delivery';
import { postToOwnUrl } from '../../../shared/transport/ownUrls';
import {
	endpointCall,
	type RegisteredEndpoint,
	registerEndpoint,
	replayFailedDeliveries,
	updateEndpoint,
} from '../../../shared/webhooks/endpoints';

/** n8n's name for the node's reply webhook ('default' is its resume webhook). */
export const REPLY_WEBHOOK = 'setup';

/** The reply webhook: only a Send and Wait node has one (an empty method registers nothing). */
export const replyWebhook = {
	name: REPLY_WEBHOOK,
	httpMethod: '={{ $parameter["operation"] === "sendAndWait" ? "POST" : "" }}',
	responseMode: 'onReceived',
	path: 'replies',
	ndvHideUrl: true,
	ndvHideMethod: true,
} as const;

/** The node's reply endpoint and record of waits, in the workflow's static data. */
interface ReplyData extends IDataObject {
	endpoint?: RegisteredEndpoint & IDataObject;
	registry?: IDataObject;
}

const replyData = (context: LynkistContext): ReplyData => {
	const staticData = context.getWorkflowStaticData('node');
	staticData.replies ??= {};
	return staticData.replies as ReplyData;
};

/** The node's reply endpoint, when the workflow was published and it registered one (only read). */
export const replyEndpointOf = (context: LynkistContext): RegisteredEndpoint | undefined =>
	(context.getWorkflowStaticData('node').replies as ReplyData | undefined)?.endpoint;

/**
 * The URL of this node's reply endpoint, as n8n serves it once the workflow is published, from the
 * execution's resume URL (both under WEBHOOK_URL: `…/webhook-waiting/<execution>/<node>` and
 * `…/webhook/<path>`); undefined where n8n's webhook endpoints were renamed and it cannot be told.
 * A worker in queue mode does not get the workflow's static data, so the URL is not read there.
 */
export function replyUrlFor(context: IExecuteFunctions, resumeUrl: string): string | undefined {
	const suffix = `/webhook-waiting/${context.getExecutionId()}/${context.getNode().id}`;
	const at = resumeUrl.indexOf(suffix);
	if (at < 0) return undefined;
	const path = NodeHelpers.getNodeWebhookPath(context.getWorkflow().id ?? '', context.getNode(), replyWebhook.path, false, false);
	return `${resumeUrl.slice(0, at)}/webhook/${path}`;
}

/**
 * Why n8n cannot serve this reply URL, or undefined: a node without a webhook ID (added before
 * this version) has its name in the URL, and n8n answers 404 where that name needed encoding.
 */
export function unservableReason(url: string, nodeName: string): string | undefined {
	if (!/%[0-9A-F]{2}/i.test(new URL(url).pathname)) return undefined;
	return `n8n cannot serve a webhook URL with this node's name "${nodeName}" in it: rename the node to letters, digits, - and _ only, or duplicate it (n8n gives the copy its own webhook ID), and publish again`;
}

/** What this n8n process knows of each node's waits, by workflow and node. */
const known = new Map<string, Registry>();
const knownKey = (context: LynkistContext) => `${context.getWorkflow().id}:${context.getNode().id}`;

/**
 * The waits as stored and as this process knows them, merged; the merge is written back when the
 * stored record lacks some (another process's write lost them). `stored`: as loaded.
 */
export function loadRegistry(context: IWebhookFunctions | IHookFunctions, now: number): { stored: Registry; merged: Registry } {
	const stored = readRegistry(replyData(context).registry);
	const merged = mergeRegistries(stored, known.get(knownKey(context)) ?? emptyRegistry(), now);
	known.set(knownKey(context), merged);
	if (!covers(stored, merged)) replyData(context).registry = merged as unknown as IDataObject;
	return { stored, merged };
}

export function saveRegistry(context: IWebhookFunctions, registry: Registry): void {
	known.set(knownKey(context), registry);
	replyData(context).registry = registry as unknown as IDataObject;
}

export const signed = (secret: string, body: string): Record<string, string> => {
	const timestamp = String(Math.floor(Date.now() / 1000));
	return {
		[FORWARD_HEADERS.timestamp]: timestamp,
		[FORWARD_HEADERS.signature]: `${SIGNATURE_PREFIX}${sign(secret, timestamp, Buffer.from(body, 'utf8')).toString('hex')}`,
	};
};

/** Whether a request carries this credential's forwarding signature over its body. */
export async function isForwarded(context: IWebhookFunctions, rawBody: Buffer): Promise<boolean> {
	const verdict = verifySignature(
		{ signature: header(context, FORWARD_HEADERS.signature), timestamp: header(context, FORWARD_HEADERS.timestamp), rawBody },
		[await forwardingSecret.call(context)],
		Math.floor(Date.now() / 1000),
	);
	return verdict.valid;
}

function replyUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl(REPLY_WEBHOOK);
	if (!url) throw new NodeOperationError(context.getNode(), 'n8n has no webhook URL for this node’s replies');
	return url;
}

/** Once n8n serves the reply URL (the endpoint answers in its own words), has Lynkist send again what failed there. */
async function replayWhenServed(context: IHookFunctions, endpointId: string, url: string): Promise<void> {
	try {
		for (let attempt = 0; attempt < SERVED_CHECKS; attempt++) {
			const answer = await postToOwnUrl(context, url, '{}', {}, 5_000);
			if (answer.statusCode === 401 && answer.text.includes('X-Lynkist-Webhook-Id')) break;
			await sleep(1_000);
		}
		await replayFailedDeliveries.call(context, endpointId);
	} catch (error) {
		context.logger.warn(
			`Lynkist Send and Wait: could not have Lynkist send again what webhook ${endpointId} missed: ${(error as Error).message}`,
		);
	}
}

/** When each reply endpoint was last checked for deliveries Lynkist gave up on, in this process. */
const replayChecked = new Map<string, number>();

/**
 * A delivery reached the reply endpoint: n8n serves it. At the first one this process gets (n8n
 * may have been away) and then every REPLY_REPLAY_CHECK_MS, Lynkist is asked, in the background,
 * to send again what it gave up on meanwhile.
 */
export function replayMissed(context: IWebhookFunctions, endpointId: string): void {
	if (Date.now() - (replayChecked.get(endpointId) ?? -Infinity) < REPLY_REPLAY_CHECK_MS) return;
	replayChecked.set(endpointId, Date.now());
	replayFailedDeliveries.call(context, endpointId, { maxRetries: 0 }).catch((error: Error) => {
		context.logger.warn(`Lynkist Send and Wait: could not have Lynkist send again what webhook ${endpointId} missed: ${error.message}`);
	});
}

/** How many seconds a starting n8n is given to serve the reply URL. */
const SERVED_CHECKS = 60;

const isTestUrl = (context: IHookFunctions) => context.getMode() === 'manual' || replyUrl(context).includes('/webhook-test/');

/** The endpoint's life: n8n calls these when the workflow is published, and unpublished. */
export const replyWebhookMethods = {
	/**
	 * Whether Lynkist still has the node's endpoint: one it has is kept (its URL and events made
	 * right, switched back on), and every delivery it missed is sent again.
	 */
	async checkExists(this: IHookFunctions): Promise<boolean> {
		// a test run's waits have endpoints of their own: the editor never needs this one
		if (isTestUrl(this)) return true;
		const data = replyData(this);
		const stored = data.endpoint;
		if (!stored) return false;
		const remote = await endpointCall(this, 'GET', stored.id);
		if (!remote) {
			delete data.endpoint;
			return false;
		}
		const url = replyUrl(this);
		const changes: IDataObject = {};
		if (remote.url !== url) changes.url = url;
		if (!Array.isArray(remote.events) || WAIT_EVENTS.some((e) => !(remote.events as string[]).includes(e))) changes.events = WAIT_EVENTS;
		if (remote.is_active !== true) changes.active = true;
		if (Object.keys(changes).length > 0) {
			await updateEndpoint.call(this, stored.id, changes);
			data.endpoint = { ...stored, url };
		}
		// what was missed is asked for once n8n serves the URL (it may ask this before)
		void replayWhenServed(this, stored.id, url);
		return true;
	},

	async create(this: IHookFunctions): Promise<boolean> {
		if (isTestUrl(this)) return true;
		const unservable = unservableReason(replyUrl(this), this.getNode().name);
		if (unservable) {
			// every delivery would fail there: the node's waits have endpoints of their own instead
			this.logger.warn(`Lynkist Send and Wait: no reply endpoint for this node: ${unservable}`);
			return true;
		}
		const description = `${REPLY_ENDPOINT_PREFIX}${this.getWorkflow().name ?? 'workflow'}, node ${this.getNode().name}`.slice(
			0,
			ENDPOINT_DESCRIPTION_MAX,
		);
		const previous = replyData(this).endpoint;
		if (previous) await endpointCall(this, 'DELETE', previous.id);
		replyData(this).endpoint = (await registerEndpoint(this, replyUrl(this), WAIT_EVENTS, description)) as ReplyData['endpoint'];
		return true;
	},

	/**
	 * Removes the endpoint when nothing waits on it. While executions wait it is kept: Lynkist
	 * retries what it cannot deliver while the workflow is unpublished, and publishing it again
	 * has Lynkist send what failed.
	 */
	async delete(this: IHookFunctions): Promise<boolean> {
		if (isTestUrl(this)) return true;
		const data = replyData(this);
		const stored = data.endpoint;
		if (!stored) return true;
		const { merged } = loadRegistry(this, Date.now());
		const waiting = Object.keys(merged.waits).length;
		if (waiting > 0) {
			this.logger.info(
				`Lynkist Send and Wait: ${waiting} executions still wait for replies; webhook ${stored.id} is kept until the workflow is published again`,
			);
			return true;
		}
		try {
			await endpointCall(this, 'DELETE', stored.id);
		} catch (error) {
			this.logger.warn(`Could not delete the Lynkist webhook ${stored.id}: ${(error as Error).message}`);
			return false;
		}
		delete data.endpoint;
		return true;
	},
};
