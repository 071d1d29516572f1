import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { APPROVAL_POLL_FIRST_MS, APPROVAL_POLL_MAX_SECONDS } from '../../../shared/constants';
import { detailText } from '../../../shared/helpers/errors';
import { retryDelayMs } from '../../../shared/helpers/retry';
import type { LynkistResponse } from '../../../shared/transport';
import { isUncertain, lynkistRequest } from '../../../shared/transport';

const show = { resource: ['template'], operation: ['submit'] };
const waiting = { ...show, waitForApproval: [true] };

/** Why a rejection never shows up in n8n. */
export const REVIEW_VISIBILITY_NOTE =
	"Lynkist's read endpoints (Get Template, Get Many) show approved templates only, so a rejected or disabled template stays invisible here: see its status in the Lynkist dashboard.";

export const description: INodeProperties[] = [
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
		description: 'ID of the draft template to submit for review: map the ID a Create Template outputs here',
	},
	{
		displayName: 'Wait for Approval',
		name: 'waitForApproval',
		type: 'boolean',
		displayOptions: { show },
		default: false,
		description:
			'Whether to keep checking the template, at growing intervals, until Meta approves it or the timeout passes, before the node outputs it',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'approvalTimeout',
		type: 'number',
		displayOptions: { show: waiting },
		typeOptions: { minValue: 1 },
		default: 600,
		description: "How long to wait for approval at most. Meta's review takes from a minute to 24 hours.",
	},
	{
		displayName: 'On Timeout',
		name: 'onTimeout',
		type: 'options',
		displayOptions: { show: waiting },
		options: [
			{
				name: 'Return Last Known Status',
				value: 'returnStatus',
				description: 'Output the template as last seen (pending) with timedOut: true',
			},
			{ name: 'Fail', value: 'fail', description: 'Fail the item with an error' },
		],
		default: 'returnStatus',
		description: 'What to do when the template is not approved within the timeout',
	},
];

/**
 * Submits a draft template for Meta's review; Lynkist answers with the template, now pending.
 * When the answer is lost, it is submitted once more: "already pending" (or already reviewed)
 * then means the first try went through.
 */
export async function submitTemplate(this: IExecuteFunctions, id: string, itemIndex: number): Promise<IDataObject> {
	const request = { method: 'POST' as const, path: `/templates/${encodeURIComponent(id)}/submit` };
	try {
		const { body } = (await lynkistRequest.call(this, request, { itemIndex })) as LynkistResponse<IDataObject>;
		return { ...body, note: `Submitted for review. ${REVIEW_VISIBILITY_NOTE}` };
	} catch (error) {
		if (!isUncertain(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
	}
	const { status, body } = (await lynkistRequest.call(this, request, {
		itemIndex,
		answerStatuses: [409],
	})) as LynkistResponse<IDataObject>;
	if (status !== 409) return { ...body, note: `Submitted for review. ${REVIEW_VISIBILITY_NOTE}` };
	const reviewed = /already (pending|approved|disabled)/i.exec(detailText(body));
	if (!reviewed)
		throw new NodeApiError(this.getNode(), body as JsonObject, { message: `Conflict: ${detailText(body)}`, httpCode: '409', itemIndex });
	return {
		id,
		status: reviewed[1].toLowerCase(),
		note: `Submitted for review (Lynkist's first answer was lost; a second try found it ${reviewed[1].toLowerCase()}). ${REVIEW_VISIBILITY_NOTE}`,
	};
}

/**
 * Checks the template at growing intervals until Lynkist shows it approved; undefined when the
 * deadline passes first. Until approval, Lynkist answers 404.
 */
async function approvedWithin(this: IExecuteFunctions, id: string, timeoutMs: number, itemIndex: number) {
	const deadline = Date.now() + timeoutMs;
	for (let attempt = 0; Date.now() < deadline; attempt++) {
		await sleep(Math.min(retryDelayMs(attempt, undefined, APPROVAL_POLL_FIRST_MS, APPROVAL_POLL_MAX_SECONDS), deadline - Date.now()));
		const { status, body } = (await lynkistRequest.call(
			this,
			{ method: 'GET', path: `/templates/${encodeURIComponent(id)}` },
			{ itemIndex, answerStatuses: [404] },
		)) as LynkistResponse<IDataObject>;
		if (status !== 404 && body.status === 'approved') return body;
	}
	return undefined;
}

/** Submits a template for review and, if asked, waits for its approval. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = (this.getNodeParameter('templateId', itemIndex) as string).trim();
	if (!id) {
		throw new NodeOperationError(this.getNode(), 'Template ID is empty', {
			itemIndex,
			description: 'Put the ID of a draft template in Template ID, e.g. map the "id" field of a Create Template output.',
		});
	}
	const submitted = await submitTemplate.call(this, id, itemIndex);
	if (!this.getNodeParameter('waitForApproval', itemIndex, false)) {
		return [{ json: submitted, pairedItem: { item: itemIndex } }];
	}

	const timeoutSeconds = this.getNodeParameter('approvalTimeout', itemIndex) as number;
	const started = Date.now();
	const approved = await approvedWithin.call(this, id, timeoutSeconds * 1000, itemIndex);
	const waitedSeconds = Math.round((Date.now() - started) / 100) / 10;
	if (approved) return [{ json: { ...approved, waitedSeconds }, pairedItem: { item: itemIndex } }];

	const notApproved = `Template ${id} was not approved within ${timeoutSeconds} seconds; its last known status is "${String(submitted.status)}"`;
	if (this.getNodeParameter('onTimeout', itemIndex) === 'fail') {
		throw new NodeOperationError(this.getNode(), notApproved, {
			itemIndex,
			description: `${REVIEW_VISIBILITY_NOTE} Raise Timeout (Seconds) if the review is still running.`,
		});
	}
	return [
		{
			json: { ...submitted, timedOut: true, waitedSeconds, note: `${notApproved}. ${REVIEW_VISIBILITY_NOTE}` },
			pairedItem: { item: itemIndex },
		},
	];
}
