/**
 * A waiting Send and Wait execution records itself at its node's reply endpoint before its
 * question is sent, and waits only once the record is kept where every n8n process reads it; it
 * forgets itself when its question was not sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { FORWARD_TIMEOUT_MS, RECORD_FIRST_PAUSE_MS, RECORD_TRIES } from '../../helpers/waitConstants';
import { isRecord } from '../../../shared/helpers/records';
import type { WaitRecord } from '../../helpers/waitRegistry';
import { forwardingSecret } from './forwarding';
import { postToOwnUrl } from '../../../shared/transport/ownUrls';
import { signed } from './replyEndpoint';

export type Recorded = { recorded: true } | { duplicateOf: string } | { unavailable: string };

async function askEndpoint(context: IExecuteFunctions, url: string, request: IDataObject): Promise<IDataObject> {
	const body = JSON.stringify(request);
	const answer = await postToOwnUrl(context, url, body, signed(await forwardingSecret.call(context), body), FORWARD_TIMEOUT_MS);
	if (answer.statusCode !== 200 || !isRecord(answer.json)) {
		throw new Error(
			answer.statusCode === 0
				? `n8n could not reach its own webhook URL ${url}: ${answer.text}`
				: `the reply endpoint answered ${answer.statusCode}: ${answer.text.slice(0, 200)}`,
		);
	}
	return answer.json as IDataObject;
}

/**
 * Records this execution's wait at the node's reply endpoint (`replyUrl`), and asks again until
 * the record is kept where every n8n process reads it. `unavailable`: the workflow is not
 * published, or n8n cannot reach its own webhook URL: the wait is to use an endpoint of its own.
 */
export async function recordWait(this: IExecuteFunctions, replyUrl: string, wait: WaitRecord): Promise<Recorded> {
	const execution = this.getExecutionId();
	let pause = RECORD_FIRST_PAUSE_MS;
	try {
		for (let attempt = 1; attempt <= RECORD_TRIES; attempt++) {
			const answer = await askEndpoint(this, replyUrl, { record: execution, wait: wait as unknown as IDataObject });
			if (typeof answer.duplicateOf === 'string') return { duplicateOf: answer.duplicateOf };
			if (answer.kept === true) return { recorded: true };
			await sleep(pause);
			pause *= 2;
		}
		return { unavailable: `the record was not kept after ${RECORD_TRIES} tries` };
	} catch (error) {
		return { unavailable: (error as Error).message };
	}
}

/** Takes this execution out of the record (its question was not sent, or was a duplicate); never fails. */
export async function forgetWait(this: IExecuteFunctions, replyUrl: string): Promise<void> {
	try {
		await askEndpoint(this, replyUrl, { forget: this.getExecutionId() });
	} catch (error) {
		this.logger.warn(
			`Lynkist Send and Wait: could not take execution ${this.getExecutionId()} out of the record of waits: ${(error as Error).message}`,
		);
	}
}
