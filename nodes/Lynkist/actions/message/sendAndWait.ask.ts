/**
 * Send and Wait for Reply, asking: the wait is recorded at the node's reply endpoint (published)
 * or given an endpoint of its own, then the question is sent; the same question asked twice is
 * asked once.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { MANY_OWN_WAITS, WAIT_ENDPOINT_PREFIX } from '../../helpers/waitConstants';
import { type Waiting, WAIT_EVENTS } from '../../helpers/replies';
import type { RunState } from '../types';
import { endpointCall, listEndpoints, registerEndpoint } from '../../../shared/webhooks/endpoints';
import { replyUrlFor, unservableReason } from './replyEndpoint';
import { forgetWait, type Recorded, recordWait } from './replyRecord';
import { keep } from './waitingStore';
import * as sendTemplate from './sendTemplate.operation';
import { cleanUpWaitEndpoints, earlierWait, questionMark, waitDescription } from './waitEndpoints';

export const asNodeError = (context: IExecuteFunctions, caught: unknown) =>
	caught instanceof NodeApiError || caught instanceof NodeOperationError
		? caught
		: new NodeOperationError(context.getNode(), caught as Error);

export async function deleteQuietly(context: IExecuteFunctions | IWebhookFunctions, endpointId: string): Promise<void> {
	try {
		await endpointCall(context, 'DELETE', endpointId);
	} catch (error) {
		context.logger.warn(
			`Lynkist Send and Wait: could not remove webhook ${endpointId}; a later wait removes it (${(error as Error).message})`,
		);
	}
}

/** A question about to be asked. */
export interface Question {
	state: RunState;
	prepared: sendTemplate.PreparedSend;
	resumeUrl: string;
	waitTill: Date | undefined;
	question: IDataObject;
	to: string;
}

/** The question sent and the wait to keep, or the node's output when nothing is to wait. */
export type Asked = { waiting: Waiting; sent: INodeExecutionData } | { output: INodeExecutionData[][] };

/** Asks through the node's reply endpoint; undefined when it cannot record the wait (then the wait has an endpoint of its own). */
export async function askThroughReplyEndpoint(this: IExecuteFunctions, ask: Question): Promise<Asked | undefined> {
	const { prepared, to } = ask;
	const replyUrl = replyUrlFor(this, ask.resumeUrl);
	const unservable = replyUrl && unservableReason(replyUrl, this.getNode().name);
	const recorded: Recorded = !replyUrl
		? { unavailable: "n8n's webhook URLs are not the usual /webhook/ and /webhook-waiting/" }
		: unservable
			? { unavailable: unservable }
			: await recordWait.call(this, replyUrl, {
					url: ask.resumeUrl,
					to,
					until: ask.waitTill?.getTime() ?? 0,
					q: questionMark(prepared.key),
					at: Date.now(),
				});
	if ('unavailable' in recorded || !replyUrl) {
		const why = 'unavailable' in recorded ? recorded.unavailable : '';
		this.logger.warn(`Lynkist Send and Wait: this wait has a Lynkist endpoint of its own: ${why}`);
		this.addExecutionHints({
			message: `This wait has a Lynkist endpoint of its own (the workflow's reply endpoint could not record it: ${why}); every message a customer sends costs one more delivery while it waits.`,
			location: 'outputPane',
		});
		return undefined;
	}
	if ('duplicateOf' in recorded) {
		await forgetWait.call(this, replyUrl);
		return { output: duplicate(this, ask.question, recorded.duplicateOf) };
	}
	const waiting: Waiting = { endpointId: '', secret: '', routed: true, to, sentAt: Date.now() };
	let sent: INodeExecutionData;
	try {
		keep(this, waiting);
		[sent] = await sendTemplate.execute.call(this, 0, ask.state, prepared);
	} catch (caught) {
		await forgetWait.call(this, replyUrl);
		throw asNodeError(this, caught);
	}
	if (sent.json.replayed === true) await forgetWait.call(this, replyUrl);
	return { waiting, sent };
}

/** Asks with an endpoint of the execution's own, at its resume URL. */
export async function askWithOwnEndpoint(this: IExecuteFunctions, ask: Question): Promise<Asked> {
	const { prepared } = ask;
	const listed = await cleanUpWaitEndpoints.call(this, await listEndpoints.call(this));
	// The same question asked again (a webhook posted twice): the customer is asked once, and one execution waits for the answer.
	const waitingElsewhere = await earlierWait.call(this, listed, prepared.key, this.getExecutionId());
	if (waitingElsewhere) return { output: duplicate(this, ask.question, waitingElsewhere) };
	const description = waitDescription(this.getWorkflow().name ?? 'workflow', this.getExecutionId(), prepared.key, ask.waitTill);
	const endpoint = await registerEndpoint(this, ask.resumeUrl, WAIT_EVENTS, description, listed);
	const open = listed.filter((e) => String(e.description ?? '').startsWith(WAIT_ENDPOINT_PREFIX)).length + 1;
	if (open >= MANY_OWN_WAITS) {
		this.addExecutionHints({
			message: `${open} executions wait with Lynkist endpoints of their own (test runs from the editor, or waits a workflow's reply webhook could not record): every message any customer sends is delivered ${open} times. In a published workflow a Send and Wait node's waits share one endpoint.`,
			location: 'outputPane',
		});
	}
	const waiting: Waiting = { endpointId: endpoint.id, secret: endpoint.secret, to: ask.to, sentAt: Date.now() };
	let sent: INodeExecutionData;
	try {
		keep(this, waiting);
		[sent] = await sendTemplate.execute.call(this, 0, ask.state, prepared);
	} catch (caught) {
		await deleteQuietly(this, endpoint.id);
		throw asNodeError(this, caught);
	}
	if (sent.json.replayed === true) await deleteQuietly(this, endpoint.id);
	return { waiting, sent };
}

/**
 * The output of an execution that asks a question already asked: nothing sent, nothing waits.
 * `of`: the execution that waits for the answer, or null when that wait has ended.
 */
export function duplicate(context: IExecuteFunctions, question: IDataObject, of: string | null): INodeExecutionData[][] {
	context.addExecutionHints({
		message: of
			? `This question was already asked by execution ${of}, which waits for the answer: it was not asked again, and this execution does not wait.`
			: 'This question was asked within the last 24 hours by an execution whose wait has ended (answered, or timed out): Lynkist did not send it again, and this execution does not wait.',
		location: 'outputPane',
	});
	return [[{ json: { status: 'duplicate', duplicateOf: of, messageId: null, ...question }, pairedItem: { item: 0 } }]];
}
