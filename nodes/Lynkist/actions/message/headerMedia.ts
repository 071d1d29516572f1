/**
 * A template's media header from an input item's binary: uploaded once per run through
 * POST /media/upload, its public_url then used as the header link.
 */
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MEDIA_FIELD } from '../../helpers/constants';
import { multipartFile } from '../../helpers/multipart';
import type { Slot } from '../../helpers/variables';
import { lynkistRequest } from '../../transport';
import type { RunState } from '../router';

export async function uploadHeaderMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	property: string,
	slot: Slot,
	run: RunState,
): Promise<string> {
	const binary = this.helpers.assertBinaryData(itemIndex, property);
	const mimeType = binary.mimeType ?? 'application/octet-stream';
	const wantsDocument = slot.kind === 'document';
	if (!wantsDocument && !mimeType.startsWith(`${slot.kind}/`)) {
		throw new NodeOperationError(this.getNode(), `Binary "${property}" of item ${itemIndex} is ${mimeType}, but the template's header is a ${slot.kind}`, {
			itemIndex,
			description: `Give a ${slot.kind} file, or a template with a ${mimeType.split('/')[0]} header.`,
		});
	}
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	const digest = createHash('sha256').update(data).digest('hex');
	return run.memo(`media:${digest}:${mimeType}`, async () => {
		const { contentType, body } = multipartFile({
			field: MEDIA_FIELD,
			fileName: binary.fileName ?? `header.${binary.fileExtension ?? 'bin'}`,
			contentType: mimeType,
			data,
		});
		const response = await lynkistRequest.call(
			this,
			{ method: 'POST', path: '/media/upload', body, headers: { 'Content-Type': contentType } },
			{ itemIndex, gate: run.gate },
		);
		return String((response.body as IDataObject).public_url);
	});
}
