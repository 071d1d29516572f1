/**
 * Create Template's media header sample. Meta takes it as an upload handle, not a link: the file
 * is read from the item's binary data or downloaded from a link, checked against Meta's type and
 * size limits, and uploaded through Lynkist's template media session (a session, then the bytes),
 * once per node run for the same file. Nothing here creates the template: when a step fails, the
 * item fails before POST /templates.
 */
import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { TEMPLATE_MEDIA_API } from '../../../shared/constants';
import { type LynkistNodeError, reworded } from '../../../shared/helpers/errors';
import { multipartForm } from '../../helpers/multipart';
import { nonEmpty } from '../../helpers/templateBuilder';
import { isSampleLink, type MediaHeader, mediaHeaderOf, sampleFileName, sampleMimeType, sampleProblem } from '../../helpers/templateSample';
import { downloadFile, lynkistRequest } from '../../../shared/transport';
import { readHeaderMedia } from '../message/headerMedia';
import type { RunState } from '../types';

/** Where the sample comes from, and the field that gave it (for the messages). */
export type SampleSource = { from: 'binary'; property: string; field: string } | { from: 'link'; url: string; field: string };

interface SampleFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
	digest: string;
}

const BINARY_FIELD = 'Header Sample From Binary';
const LINK_FIELD = 'Header Sample Link';
const JSON_FIELD = 'Components (JSON), example.header_handle of the HEADER';
const NOT_CREATED = 'The template was not created.';

/**
 * The template's media header and where its sample comes from; no source when the sample is a
 * handle given as it is (or missing, which the template checks report).
 */
export function readSample(
	this: IExecuteFunctions,
	itemIndex: number,
	json: boolean,
	components: unknown,
): { header?: MediaHeader; source?: SampleSource } {
	const header = mediaHeaderOf(components);
	const property = String(this.getNodeParameter('headerSampleBinary', itemIndex, '')).trim();
	const item = `Item ${itemIndex + 1}`;
	if (json && property) {
		if (!header) {
			throw new NodeOperationError(
				this.getNode(),
				`${item}: ${BINARY_FIELD} is "${property}", but Components (JSON) has no IMAGE, VIDEO or DOCUMENT header`,
				{ itemIndex, description: 'Add the media HEADER to the JSON, or clear Header Sample From Binary. Nothing was sent to Lynkist.' },
			);
		}
		if (nonEmpty(header.value)) {
			throw new NodeOperationError(
				this.getNode(),
				`${item}: the header sample is given twice, as example.header_handle in Components (JSON) and as ${BINARY_FIELD} "${property}"`,
				{ itemIndex, description: 'Keep one: remove example.header_handle from the JSON, or clear Header Sample From Binary.' },
			);
		}
		return { header, source: { from: 'binary', property, field: BINARY_FIELD } };
	}
	if (!header) return {};
	if (!json && this.getNodeParameter('headerSample', itemIndex, 'link') === 'binary') {
		return property ? { header, source: { from: 'binary', property, field: BINARY_FIELD } } : { header };
	}
	const field = json ? JSON_FIELD : LINK_FIELD;
	return isSampleLink(header.value) ? { header, source: { from: 'link', url: header.value.trim(), field } } : { header };
}

const asNodeError = (context: IExecuteFunctions, error: unknown, itemIndex: number): LynkistNodeError =>
	error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(context.getNode(), error as Error, { itemIndex });

async function fromBinary(
	this: IExecuteFunctions,
	itemIndex: number,
	source: Extract<SampleSource, { from: 'binary' }>,
	header: MediaHeader,
	run: RunState,
): Promise<SampleFile> {
	const binary = this.getInputData()[itemIndex]?.binary ?? {};
	const found = binary[source.property];
	if (!found) {
		const names = Object.keys(binary);
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1} has no binary property "${source.property}" (${source.field})`, {
			itemIndex,
			description: `Name the input's binary property that holds the sample ${header.kind}. This item has ${names.length ? `the binary properties ${names.join(', ')}` : 'no binary data'}. ${NOT_CREATED}`,
		});
	}
	const wrongType = sampleProblem(header.kind, found.mimeType ?? '');
	if (wrongType) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}: the header sample (${source.field}) ${wrongType.problem}`, {
			itemIndex,
			description: `${wrongType.fix} ${NOT_CREATED}`,
		});
	}
	const { file } = await readHeaderMedia.call(this, itemIndex, source.property, header, run);
	return file;
}

async function fromLink(
	this: IExecuteFunctions,
	itemIndex: number,
	source: Extract<SampleSource, { from: 'link' }>,
	run: RunState,
): Promise<SampleFile> {
	const got = await run.memo(`template-sample-link:${source.url}`, () => downloadFile.call(this, source.url));
	if (!got.ok) {
		throw new NodeOperationError(
			this.getNode(),
			`Item ${itemIndex + 1}: the header sample could not be downloaded from ${source.url} (${source.field}): ${got.reason}`,
			{
				itemIndex,
				description: `Give a link that opens the file itself without signing in, or give the sample from binary data. ${NOT_CREATED}`,
			},
		);
	}
	const mimeType = sampleMimeType(got.contentType, source.url);
	return {
		data: got.data,
		mimeType,
		fileName: sampleFileName(source.url, mimeType),
		digest: createHash('sha256').update(got.data).digest('hex'),
	};
}

/** Session, then upload: the handle Meta gave for the file. Each step's failure says which step it was. */
async function upload(this: IExecuteFunctions, itemIndex: number, file: SampleFile): Promise<string> {
	const step = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
		try {
			return await call();
		} catch (error) {
			const cause = asNodeError(this, error, itemIndex);
			throw reworded(cause, itemIndex, `${what} failed: ${cause.message}`);
		}
	};
	const answerLacks = (what: string, field: string, body: unknown) =>
		new NodeOperationError(this.getNode(), `${what} answered without ${field}`, {
			itemIndex,
			description: `Lynkist answered: ${JSON.stringify(body)?.slice(0, 300)}. The package expects the shape listed in its README (What the package assumes about Lynkist).`,
		});

	const sessionStep = `POST ${TEMPLATE_MEDIA_API.sessionPath}`;
	const session = await step(sessionStep, () =>
		lynkistRequest.call(
			this,
			{
				method: 'POST',
				path: TEMPLATE_MEDIA_API.sessionPath,
				body: TEMPLATE_MEDIA_API.sessionBody({ fileName: file.fileName, mimeType: file.mimeType, size: file.data.length }),
				// A session whose answer was lost is opened again: the unused one expires, nothing else is affected.
				idempotent: true,
			},
			{ itemIndex },
		),
	);
	const sessionId = TEMPLATE_MEDIA_API.sessionIdOf(session.body);
	if (!nonEmpty(sessionId)) throw answerLacks(sessionStep, 'a session id (data.session_id)', session.body);

	const uploadStep = `POST ${TEMPLATE_MEDIA_API.uploadPath}`;
	const { contentType, body } = multipartForm(
		{ [TEMPLATE_MEDIA_API.sessionIdField]: sessionId },
		{ field: TEMPLATE_MEDIA_API.fileField, fileName: file.fileName, contentType: file.mimeType, data: file.data },
	);
	const uploaded = await step(uploadStep, () =>
		lynkistRequest.call(
			this,
			{ method: 'POST', path: TEMPLATE_MEDIA_API.uploadPath, body, headers: { 'Content-Type': contentType }, idempotent: true },
			{ itemIndex },
		),
	);
	const handle = TEMPLATE_MEDIA_API.handleOf(uploaded.body);
	if (!nonEmpty(handle)) throw answerLacks(uploadStep, 'an upload handle (data.handle)', uploaded.body);
	return handle;
}

/**
 * The handle of the item's sample: the file read or downloaded, checked, and uploaded (once per
 * run for the same content and type). Errors name the item and the field that gave the sample.
 */
export async function uploadHeaderSample(
	this: IExecuteFunctions,
	itemIndex: number,
	source: SampleSource,
	header: MediaHeader,
	run: RunState,
): Promise<string> {
	const item = `Item ${itemIndex + 1}`;
	const file =
		source.from === 'binary'
			? await fromBinary.call(this, itemIndex, source, header, run)
			: await fromLink.call(this, itemIndex, source, run);
	const unfit = sampleProblem(header.kind, file.mimeType, file.data.length);
	if (unfit) {
		throw new NodeOperationError(this.getNode(), `${item}: the header sample (${source.field}) ${unfit.problem}`, {
			itemIndex,
			description: `${unfit.fix} ${NOT_CREATED}`,
		});
	}
	try {
		return await run.memo(`template-sample:${file.digest}:${file.mimeType}`, () => upload.call(this, itemIndex, file));
	} catch (error) {
		const cause = asNodeError(this, error, itemIndex);
		throw reworded(
			cause,
			itemIndex,
			`${item}: the header sample (${source.field}) could not be uploaded to Meta through Lynkist: ${cause.message}`,
			NOT_CREATED,
		);
	}
}
