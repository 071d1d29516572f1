/**
 * Requests of n8n to its own webhook URLs: a delivery passed on to a waiting execution's resume
 * URL, a wait recording itself at its node's reply endpoint, asking whether a URL is served or an
 * execution still waits. Always a JSON POST; the answer whatever its status.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { safeJson } from '../helpers/records';

/** n8n's answer; `statusCode` 0 when n8n did not answer (`text` says why). */
export interface OwnAnswer {
	statusCode: number;
	text: string;
	json: unknown;
}

/** Any node context: each has n8n's request helper. */
interface WithHttp {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

export async function postToOwnUrl(
	context: WithHttp,
	url: string,
	body: string,
	headers: Record<string, string>,
	timeoutMs: number,
): Promise<OwnAnswer> {
	try {
		const response = (await context.helpers.httpRequest({
			method: 'POST',
			url,
			body,
			headers: { 'content-type': 'application/json', ...headers },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
		})) as { statusCode: number; body: unknown };
		const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
		return { statusCode: response.statusCode, text, json: typeof response.body === 'string' ? safeJson(text) : response.body };
	} catch (error) {
		return { statusCode: 0, text: (error as Error).message, json: undefined };
	}
}

/**
 * n8n's answer at a resume URL whose execution no longer waits: 404 no such execution; 409 it
 * ended or was stopped (not while it is still starting); 200 n8n's page for an ended wait.
 */
export const waitEnded = ({ statusCode, text }: OwnAnswer): boolean =>
	statusCode === 404 || statusCode === 200 || (statusCode === 409 && !/running/i.test(text));
