/**
 * Send and Wait for Reply: sends an approved template to one recipient, then the execution waits
 * until the recipient answers on WhatsApp, the message fails, or the time limit passes.
 *
 * Each waiting execution registers its own Lynkist endpoint for `message.received` and
 * `message.failed` at its signed resume URL (n8n's `/webhook-waiting/…`), which any n8n process
 * serves, in queue mode too. The endpoint's secret stays in the execution's custom data: only a
 * delivery Lynkist signed with it can resume the execution. The endpoint is removed when the
 * answer comes; one left by a wait that timed out or was stopped is removed by a later wait.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

import { DELIVERY_HEADERS, MAX_DELIVERY_BYTES, TEST_EVENT, WAIT_CUSTOM_DATA_KEY } from '../../helpers/constants';
import {
	answerOf,
	parseWaiting,
	payloadComponents,
	type ReplyType,
	serializeWaiting,
	timedOutOutput,
	unreachableReason,
	type Waiting,
	WAIT_EVENTS,
} from '../../helpers/replies';
import { parseEnvelope } from '../../../LynkistTrigger/normalise';
import { deliveryHeader as header, rawBodyOf, respond, UNSIGNED_ANSWER, verifyDelivery } from '../../transport/delivery';
import type { RunState } from '../types';
import { endpointCall, listEndpoints, registerEndpoint } from '../webhookEndpoints';
import { cleanUpWaitEndpoints, earlierWait, healWaitSecret, waitDescription, waitSecrets } from './waitEndpoints';
import { beforeSend } from './recipientContacts';
import * as sendTemplate from './sendTemplate.operation';

export { description } from './sendAndWait.description';

/** When the wait ends at the latest: the time limit, or never. */
function waitTillOf(context: IExecuteFunctions): Date | undefined {
	if (!context.getNodeParameter('limitWaitTime', 0, false)) return undefined;
	const node = context.getNode();
	let waitTill: Date;
	if (context.getNodeParameter('limitType', 0, 'afterTimeInterval') === 'afterTimeInterval') {
		const amount = Number(context.getNodeParameter('resumeAmount', 0, 1));
		const unit = String(context.getNodeParameter('resumeUnit', 0, 'hours'));
		const seconds = { minutes: 60, hours: 3600, days: 86400 }[unit] ?? 3600;
		if (!(amount > 0)) throw new NodeOperationError(node, '"Amount" of Limit Wait Time must be more than 0');
		waitTill = new Date(Date.now() + amount * seconds * 1000);
	} else {
		const at = context.getNodeParameter('maxDateAndTime', 0, '') as string;
		waitTill = new Date(at);
		if (Number.isNaN(waitTill.getTime()))
			throw new NodeOperationError(node, `"Max Date and Time" of Limit Wait Time is not a date: "${at}"`);
		if (waitTill.getTime() <= Date.now()) throw new NodeOperationError(node, `"Max Date and Time" of Limit Wait Time (${at}) has passed`);
	}
	return waitTill;
}

/** Keeps what the resume needs in the execution's custom data, and checks n8n kept it (it keeps 10 keys at most). */
function keep(context: IExecuteFunctions, waiting: Waiting): void {
	const value = serializeWaiting(waiting);
	context.customData.set(WAIT_CUSTOM_DATA_KEY, value);
	if (context.customData.get(WAIT_CUSTOM_DATA_KEY) !== value) {
		throw new NodeOperationError(context.getNode(), 'n8n did not keep the reply details in this execution’s custom data', {
			description: `Send and Wait for Reply keeps its details under the custom data key "${WAIT_CUSTOM_DATA_KEY}"; n8n keeps at most 10 keys per execution. Set fewer custom data keys before this node.`,
		});
	}
}

async function deleteQuietly(context: IExecuteFunctions | IWebhookFunctions, endpointId: string): Promise<void> {
	try {
		await endpointCall(context, 'DELETE', endpointId);
	} catch (error) {
		context.logger.warn(
			`Lynkist Send and Wait: could not remove webhook ${endpointId}; a later wait removes it (${(error as Error).message})`,
		);
	}
}

export async function run(this: IExecuteFunctions, state: RunState): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const items = this.getInputData();
	if (items.length !== 1) {
		throw new NodeOperationError(node, `Send and Wait for Reply messages one recipient per execution, and got ${items.length} items`, {
			description:
				'Nothing was sent. Give it one item: start one execution per recipient (for example from a webhook, or with Execute Workflow), or put it inside Loop Over Items with a batch size of 1.',
		});
	}
	const replyType = this.getNodeParameter('replyType', 0) as ReplyType;
	const resumeUrl = this.getSignedResumeUrl();
	const unreachable = unreachableReason(resumeUrl);
	if (unreachable) {
		throw new NodeOperationError(node, unreachable, {
			description:
				"Nothing was sent: the reply could never reach this execution. Set n8n's WEBHOOK_URL environment variable to the public https:// address this n8n is reached at, restart n8n and run again.",
		});
	}
	const waitTill = waitTillOf(this);
	const prepared = await sendTemplate.prepare.call(this, 0, state, {
		duplicateCheck: 'message',
		extraComponents: (template, given) => {
			const payloads = payloadComponents(template);
			if (payloads.length === 0 && replyType === 'button') {
				throw new NodeOperationError(
					node,
					`Template ${String(template.template_name)} (${String(template.language)}) has no quick-reply buttons`,
					{
						description: 'Choose a template with quick-reply buttons, or set Reply Type to Text or Either. Nothing was sent.',
						itemIndex: 0,
					},
				);
			}
			// a quick-reply payload the user gave in Components (JSON) is theirs
			return payloads.filter((p) => !given.some((g) => g.type === 'button' && String(g.index) === p.index));
		},
	});

	// Skip Opted-Out Recipients: nobody to ask, nothing to wait for.
	const { template_name: templateName, language } = prepared.template;
	const { skipped } = await beforeSend.call(this, state, 0, { to: prepared.body.to, templateName, language });
	if (skipped) return [[{ json: { ...skipped, replyType }, pairedItem: { item: 0 } }]];

	const listed = await cleanUpWaitEndpoints.call(this, await listEndpoints.call(this));
	const question = { to: prepared.body.to, templateName, language, replyType, idempotencyKey: prepared.key };
	// The same question asked again (a webhook posted twice): the customer is asked once, and one execution waits for the answer.
	const waitingElsewhere = await earlierWait.call(this, listed, prepared.key, this.getExecutionId());
	if (waitingElsewhere) return duplicate(this, question, waitingElsewhere);
	const description = waitDescription(this.getWorkflow().name ?? 'workflow', this.getExecutionId(), prepared.key, waitTill);
	const endpoint = await registerEndpoint(this, resumeUrl, WAIT_EVENTS, description, listed);
	const waiting: Waiting = { endpointId: endpoint.id, secret: endpoint.secret, to: String(prepared.body.to), sentAt: Date.now() };
	let sent: INodeExecutionData;
	try {
		keep(this, waiting);
		[sent] = await sendTemplate.execute.call(this, 0, state, prepared);
	} catch (caught) {
		await deleteQuietly(this, endpoint.id);
		throw caught instanceof NodeApiError || caught instanceof NodeOperationError ? caught : new NodeOperationError(node, caught as Error);
	}
	// Lynkist replayed an earlier ask of this question, whose wait has ended: it was answered, or timed out, there.
	if (sent.json.replayed === true) {
		await deleteQuietly(this, endpoint.id);
		return duplicate(this, { ...question, messageId: sent.json.messageId ?? null }, null);
	}
	waiting.messageId = typeof sent.json.messageId === 'string' ? sent.json.messageId : undefined;
	keep(this, waiting);

	// On a timeout n8n does not run the node again: it passes on what this execution step holds
	// as its input. That becomes the timed-out output; a reply replaces it.
	const executeData = this.getExecuteData();
	if (waitTill) executeData.data = { main: [[{ json: timedOutOutput(waiting, waitTill), pairedItem: { item: 0 } }]] };
	await this.putExecutionToWait(waitTill ?? WAIT_INDEFINITELY);
	const json: IDataObject = { status: 'waiting', ...sent.json, replyType, waitingUntil: waitTill?.toISOString() ?? null };
	return [[{ json, pairedItem: { item: 0 } }]];
}

/**
 * The output of an execution that asks a question already asked: nothing sent, nothing waits.
 * `of`: the execution that waits for the answer, or null when that wait has ended.
 */
function duplicate(context: IExecuteFunctions, question: IDataObject, of: string | null): INodeExecutionData[][] {
	context.addExecutionHints({
		message: of
			? `This question was already asked by execution ${of}, which waits for the answer: it was not asked again, and this execution does not wait.`
			: 'This question was asked within the last 24 hours by an execution whose wait has ended (answered, or timed out): Lynkist did not send it again, and this execution does not wait.',
		location: 'outputPane',
	});
	return [[{ json: { status: 'duplicate', duplicateOf: of, messageId: null, ...question }, pairedItem: { item: 0 } }]];
}

/** A delivery to the waiting execution's resume URL: resumes it when it is the answer, else keeps it waiting. */
async function answer(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const waiting = parseWaiting(this.customData.get(WAIT_CUSTOM_DATA_KEY));
	if (!waiting) return respond(this, 409, { message: 'This execution is not waiting for a Lynkist reply' });
	const rawBody = rawBodyOf(this);
	if (rawBody.length > MAX_DELIVERY_BYTES) return respond(this, 413, { message: 'Payload too large' });
	if (header(this, DELIVERY_HEADERS.webhookId) !== waiting.endpointId)
		return respond(this, 401, { message: 'Unknown Lynkist webhook endpoint' });
	const verdict = verifyDelivery(this, rawBody, waitSecrets(waiting.endpointId, waiting.secret));
	if (!verdict.valid) {
		const healed = verdict.mismatch ? await healWaitSecret(this, waiting.endpointId, waiting.secret, rawBody) : 'refused';
		if (healed !== 'verified') {
			const note = healed === 'renewed' ? '; the signing secret had changed at Lynkist and was renewed, retries will verify' : '';
			return respond(this, 401, { message: `${UNSIGNED_ANSWER}: ${verdict.reason}${note}` });
		}
	}
	const envelope = parseEnvelope(rawBody);
	// signed by Lynkist but not an event this wait reads (a test delivery of another shape): answered, so it counts as delivered
	if (!envelope) return respond(this, 200, { received: true, ignored: 'not a message event' });
	if (envelope.type === TEST_EVENT) return respond(this, 200, { received: true, waiting: true });

	const replyType = this.getNodeParameter('replyType', 'button') as ReplyType;
	const outcome = answerOf(envelope.type, envelope.data, waiting, replyType, new Date().toISOString());
	if ('ignore' in outcome) return respond(this, 200, { received: true, ignored: outcome.ignore });
	await deleteQuietly(this, waiting.endpointId);
	respond(this, 200, { received: true, resumed: true });
	return { noWebhookResponse: true, workflowData: [[{ json: outcome.resume }]] };
}

/** n8n ends a waiting execution whose webhook() throws: never throw, answer 500 (Lynkist retries). */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		return await answer.call(this);
	} catch (error) {
		this.logger.warn(`Lynkist Send and Wait: a delivery could not be handled: ${(error as Error).message}`);
		return respond(this, 500, { message: 'The delivery could not be handled; Lynkist retries it' });
	}
}
