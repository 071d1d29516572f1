/**
 * A template's media header from an input item's binary. Each distinct file is read and hashed
 * once per node run, and uploaded once through POST /media/upload when the first send needs it;
 * its public_url then stands in the header. The send's identity (its idempotency key) counts the
 * file by its SHA-256, not by that link, which is new on every upload.
 */
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, MEDIA_FIELD } from '../../../shared/constants';
import { multipartFile } from '../../helpers/multipart';
import type { Slot } from '../../helpers/variables';
import { lynkistRequest } from '../../../shared/transport';
import type { RunState } from '../types';

interface HeaderFile {
	digest: string;
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/** What a send holds until it is sent: the file, and the stand-in link its identity is built with. */
export interface HeaderMedia {
	file: HeaderFile;
	/** In the header's link until the upload's public_url replaces it. */
	placeholder: string;
}

/**
 * Links of files this process uploaded, per credential, content and type, for as long as Lynkist
 * replays a send (24 hours): a retry of the node or of the execution then sends the very same
 * request, link included, instead of one that differs from the first only by a fresh link.
 */
const UPLOAD_REUSE_MS = 24 * 60 * 60 * 1000;
const MAX_UPLOADS_KEPT = 1000;
const uploaded = new Map<string, { link: string; until: number }>();

/** Per node run: file identity (n8n's binary id, or the base64 data itself) → the file read once. */
const files = new WeakMap<RunState, Map<string, Promise<HeaderFile>>>();

export async function readHeaderMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	property: string,
	slot: Pick<Slot, 'kind'>,
	run: RunState,
): Promise<HeaderMedia> {
	const binary = this.helpers.assertBinaryData(itemIndex, property);
	const mimeType = binary.mimeType ?? 'application/octet-stream';
	if (slot.kind !== 'document' && !mimeType.startsWith(`${slot.kind}/`)) {
		throw new NodeOperationError(
			this.getNode(),
			`Binary "${property}" of item ${itemIndex + 1} is ${mimeType}, but the template's header is a ${slot.kind}`,
			{
				itemIndex,
				description: `Give a ${slot.kind} file, or a template with a ${mimeType.split('/')[0]} header.`,
			},
		);
	}
	let known = files.get(run);
	if (!known) files.set(run, (known = new Map()));
	const fileName = binary.fileName ?? `header.${binary.fileExtension ?? 'bin'}`;
	const identity = `${mimeType}\n${fileName}\n${binary.id ?? ''}`;
	// Without an id the file lives in the item as base64: the string itself is the key (V8 hashes a string once).
	const key = binary.id ? identity : binary.data;
	let file = known.get(key);
	if (!file) {
		file = this.helpers.getBinaryDataBuffer(itemIndex, property).then((data) => ({
			digest: createHash('sha256').update(data).digest('hex'),
			data,
			fileName,
			mimeType,
		}));
		known.set(key, file);
		file.catch(() => known.delete(key));
	}
	const read = await file;
	return { file: read, placeholder: `lynkist-binary:sha256:${read.digest}` };
}

/** Uploads the file once (per credential, content and type; see `uploaded`) and returns its public link. */
export function uploadHeaderMedia(this: IExecuteFunctions, itemIndex: number, { file }: HeaderMedia, run: RunState): Promise<string> {
	const key = `${this.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? ''}:${file.digest}:${file.mimeType}`;
	return run.memo(`media:${key}`, async () => {
		const known = uploaded.get(key);
		if (known && known.until > Date.now()) return known.link;
		const { contentType, body } = multipartFile({
			field: MEDIA_FIELD,
			fileName: file.fileName,
			contentType: file.mimeType,
			data: file.data,
		});
		// A lost answer is retried: Lynkist may then keep an unused copy of the file, and no message is affected.
		const response = await lynkistRequest.call(
			this,
			{ method: 'POST', path: '/media/upload', body, headers: { 'Content-Type': contentType }, idempotent: true },
			{ itemIndex },
		);
		const link = String((response.body as IDataObject).public_url);
		if (uploaded.size >= MAX_UPLOADS_KEPT) uploaded.delete(uploaded.keys().next().value as string);
		uploaded.set(key, { link, until: Date.now() + UPLOAD_REUSE_MS });
		return link;
	});
}
