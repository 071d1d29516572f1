/**
 * Downloads a file the user links to (a template header's sample): a request to somewhere other
 * than Lynkist, so it goes without the Lynkist credential.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { SAMPLE_DOWNLOAD_TIMEOUT_MS } from '../constants';
import { networkErrorCode } from '../helpers/retry';

export type Download = { ok: true; data: Buffer; contentType?: string } | { ok: false; reason: string };

interface FullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

/** The file's bytes and its Content-Type, or why it could not be had (a status other than 2xx, a network error). */
export async function downloadFile(this: IExecuteFunctions, url: string): Promise<Download> {
	let response: FullResponse;
	try {
		response = (await this.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'arraybuffer',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: SAMPLE_DOWNLOAD_TIMEOUT_MS,
		})) as FullResponse;
	} catch (error) {
		return { ok: false, reason: networkErrorCode(error) ?? (error as Error).message };
	}
	if (response.statusCode < 200 || response.statusCode >= 300) return { ok: false, reason: `the server answered ${response.statusCode}` };
	const { body } = response;
	const data = Buffer.isBuffer(body) ? body : body instanceof ArrayBuffer ? Buffer.from(body) : Buffer.from(String(body ?? ''));
	const type = response.headers?.['content-type'];
	return { ok: true, data, contentType: typeof type === 'string' ? type : undefined };
}
