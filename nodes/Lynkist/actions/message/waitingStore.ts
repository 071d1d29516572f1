/**
 * Where a waiting execution keeps what its resume needs (its endpoint and secret, whom it asked,
 * when, which message). n8n 2.x: the execution's custom data. n8n 1.x gives a node no custom data
 * its webhook can read back; there it is kept sealed (helpers/sealedSecret, under a key derived
 * from the credential's API key) in the input item of the waiting step, which n8n 1.x hands the
 * node's webhook — and, on a time limit, passes on as the node's output, where it stays sealed.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sealText, unsealText } from '../../helpers/sealedSecret';
import { WAIT_CUSTOM_DATA_KEY } from '../../helpers/waitConstants';
import { parseWaiting, serializeWaiting, timedOutOutput, type Waiting } from '../../helpers/replies';
import { forwardingSecret } from './forwarding';

/** Whether this n8n gives nodes execution custom data (n8n 2.x; 1.x's contexts have no such member). */
const hasCustomData = (context: IExecuteFunctions | IWebhookFunctions): boolean => Reflect.has(context, 'customData');

/** The key material of a sealed wait record: derived from the credential's API key. */
const keyMaterial = async (context: IExecuteFunctions | IWebhookFunctions) => `wait record|${await forwardingSecret.call(context)}`;

/** Keeps the wait's details (before the question is sent: that this n8n keeps them is checked then). */
export function keep(context: IExecuteFunctions, waiting: Waiting): void {
	if (!hasCustomData(context)) {
		if (!context.getExecuteData()?.data?.main?.[0]?.[0])
			throw new NodeOperationError(context.getNode(), 'n8n gave this step no input item to keep the reply details in');
		return;
	}
	const value = serializeWaiting(waiting);
	context.customData.set(WAIT_CUSTOM_DATA_KEY, value);
	if (context.customData.get(WAIT_CUSTOM_DATA_KEY) !== value) {
		throw new NodeOperationError(context.getNode(), 'n8n did not keep the reply details in this execution’s custom data', {
			description: `Send and Wait for Reply keeps its details under the custom data key "${WAIT_CUSTOM_DATA_KEY}"; n8n keeps at most 10 keys per execution. Set fewer custom data keys before this node.`,
		});
	}
}

/**
 * The question is sent: keeps the wait's final details, and what a time limit passes on. On a
 * timeout n8n does not run the node again: it passes on what this execution step holds as its
 * input. That becomes the timed-out output; a reply replaces it.
 */
export async function holdForResume(context: IExecuteFunctions, waiting: Waiting, waitTill: Date | undefined): Promise<void> {
	keep(context, waiting);
	const executeData = context.getExecuteData();
	const input = executeData.data.main[0]![0];
	const json = waitTill ? timedOutOutput(waiting, waitTill) : { ...input.json };
	if (!hasCustomData(context)) json[WAIT_CUSTOM_DATA_KEY] = sealText(serializeWaiting(waiting), await keyMaterial(context));
	if (waitTill || !hasCustomData(context)) executeData.data = { main: [[{ json, pairedItem: { item: 0 } }]] };
}

/** The details a waiting execution kept; undefined when it is not a Send and Wait wait. */
export async function waitingOf(context: IWebhookFunctions): Promise<Waiting | undefined> {
	if (hasCustomData(context)) return parseWaiting(context.customData.get(WAIT_CUSTOM_DATA_KEY));
	const sealed = context.evaluateExpression(`{{ $json[${JSON.stringify(WAIT_CUSTOM_DATA_KEY)}] }}`, 0);
	return typeof sealed === 'string' ? parseWaiting(unsealText(sealed, await keyMaterial(context))) : undefined;
}
