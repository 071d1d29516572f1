/**
 * The only place that talks to Lynkist. Every request goes through `lynkistRequest`: it
 * authenticates with the credential, waits out 429s as Retry-After says, retries 5xx and network
 * failures with the same request (so an Idempotency-Key makes the retry safe), and turns any
 * other failure into a NodeApiError that says what to fix.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import {
	BACKOFF_BASE_MS,
	CREDENTIAL_TYPE,
	DEFAULT_MAX_RETRIES,
	MAX_RETRY_AFTER_SECONDS,
	PAGE_SIZE_MAX,
	REQUEST_ID_HEADER,
	RETRYABLE_STATUSES,
} from '../helpers/constants';
import { explainLynkistError, type LynkistErrorExplanation } from '../helpers/errors';
import { networkErrorCode, retryDelayMs } from '../helpers/retry';

export type LynkistContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

export interface LynkistRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, e.g. `/templates`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	headers?: Record<string, string>;
}

export interface LynkistResponse<T> {
	status: number;
	body: T;
	headers: Record<string, string>;
	requestId?: string;
}

export interface LynkistRequestOptions {
	itemIndex?: number;
	maxRetries?: number;
	/** Error statuses the caller reads as an answer instead of an error, e.g. 404 while a template is in review. */
	answerStatuses?: number[];
	/** Wording for statuses this call knows more about than the generic explanation, e.g. 404 on Get Template. */
	explain?: Record<number, LynkistErrorExplanation>;
}

interface FullResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
}

export async function lynkistRequest<T = IDataObject>(
	this: LynkistContext,
	request: LynkistRequest,
	options: LynkistRequestOptions = {},
): Promise<LynkistResponse<T>> {
	const { baseUrl } = await this.getCredentials<{ baseUrl: string }>(CREDENTIAL_TYPE);
	const httpOptions: IHttpRequestOptions = {
		method: request.method,
		url: `${String(baseUrl).replace(/\/+$/, '')}${request.path}`,
		qs: request.qs,
		body: request.body,
		headers: request.headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;

	for (let attempt = 0; ; attempt++) {
		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				httpOptions,
			)) as FullResponse;
		} catch (error) {
			const code = networkErrorCode(error);
			if (code === undefined) throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: options.itemIndex });
			if (attempt < maxRetries) {
				await sleep(retryDelayMs(attempt, undefined, BACKOFF_BASE_MS, MAX_RETRY_AFTER_SECONDS));
				continue;
			}
			throw new NodeApiError(this.getNode(), { code } as JsonObject, {
				message: `Could not reach Lynkist at ${httpOptions.url} (${code})`,
				description: `Tried ${attempt + 1} times. Check the Base URL in the Lynkist API credential and that this n8n can reach it.`,
				itemIndex: options.itemIndex,
			});
		}

		const status = response.statusCode;
		const headers = response.headers ?? {};
		const requestId = headers[REQUEST_ID_HEADER];
		if ((status >= 200 && status < 300) || options.answerStatuses?.includes(status)) {
			return { status, body: response.body as T, headers, requestId };
		}
		if (attempt < maxRetries && RETRYABLE_STATUSES.includes(status)) {
			await sleep(retryDelayMs(attempt, headers['retry-after'], BACKOFF_BASE_MS, MAX_RETRY_AFTER_SECONDS));
			continue;
		}
		const { message, description } = options.explain?.[status] ?? explainLynkistError(status, response.body);
		throw new NodeApiError(this.getNode(), (response.body ?? {}) as JsonObject, {
			message,
			description: requestId ? `${description} (Lynkist request id: ${requestId})` : description,
			httpCode: String(status),
			itemIndex: options.itemIndex,
		});
	}
}

export interface Page {
	data: IDataObject[];
	pagination?: { has_next?: boolean };
}

/**
 * Reads a paged list endpoint until it ends or `max` entries are collected; with `keep`, only
 * the entries it keeps count (for filters the endpoint does not offer).
 */
export async function lynkistPaginate(
	this: LynkistContext,
	path: string,
	max = Infinity,
	options: LynkistRequestOptions = {},
	keep?: (entry: IDataObject) => boolean,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for (let page = 1; out.length < max; page++) {
		const limit = keep ? PAGE_SIZE_MAX : Math.min(PAGE_SIZE_MAX, max - out.length);
		const { body } = (await lynkistRequest.call(
			this,
			{ method: 'GET', path, qs: { page, limit } },
			options,
		)) as LynkistResponse<Page>;
		const entries = body.data ?? [];
		out.push(...(keep ? entries.filter(keep) : entries));
		if (!body.pagination?.has_next || entries.length === 0) break;
	}
	return out.slice(0, max);
}
