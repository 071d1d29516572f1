/**
 * The sample of a new template's media header, as Meta takes it: which header needs one, whether
 * a value is a link to download or a handle from an earlier upload, the file's type and size
 * against Meta's limits, and the handle put in place. Pure.
 */
import { MEDIA_LIMITS, TEMPLATE_MEDIA_API } from '../../shared/constants';
import { isRecord } from '../../shared/helpers/records';

export type SampleKind = 'image' | 'video' | 'document';

const KINDS: Record<string, SampleKind> = { IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document' };

/** What Meta takes as the sample of each kind of header, in words. */
const TAKES: Record<SampleKind, string> = {
	image: 'a JPEG or PNG image',
	video: 'an MP4 video',
	document: 'a PDF document',
};

/** File name endings of the types Meta takes, for a download whose server names no type. */
const EXTENSIONS: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	mp4: 'video/mp4',
	pdf: 'application/pdf',
};

/** A template's IMAGE, VIDEO or DOCUMENT header: where it is, its kind, and the first value of its example.header_handle. */
export interface MediaHeader {
	index: number;
	format: string;
	kind: SampleKind;
	value: unknown;
}

export function mediaHeaderOf(components: unknown): MediaHeader | undefined {
	if (!Array.isArray(components)) return undefined;
	const index = components.findIndex((c) => isRecord(c) && c.type === 'HEADER' && typeof c.format === 'string' && KINDS[c.format]);
	if (index === -1) return undefined;
	const header = components[index] as Record<string, unknown>;
	const example = isRecord(header.example) ? header.example : {};
	const handles = Array.isArray(example.header_handle) ? example.header_handle : [];
	const format = header.format as string;
	return { index, format, kind: KINDS[format], value: handles[0] };
}

/** A link, which the node downloads and uploads; any other sample value is a handle from an earlier upload, kept as it is. */
export const isSampleLink = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\/\S+$/i.test(value.trim());

/** The components with `handle` as the sample of the header at `index` (the other components untouched). */
export function withHeaderHandle<T>(components: T[], index: number, handle: string): T[] {
	return components.map((component, i) => {
		if (i !== index || !isRecord(component)) return component;
		const example = isRecord(component.example) ? component.example : {};
		return { ...component, example: { ...example, header_handle: [handle] } } as T;
	});
}

/** The path of a link, without its scheme, host, query and fragment. */
const pathOf = (url: string) => url.split(/[?#]/)[0].replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');

/** A downloaded file's type: what its server said, or, when that says nothing, what the link's file name ends in. */
export function sampleMimeType(contentType: string | undefined, url: string): string {
	const said = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (said && !/^(application|binary)\/octet-stream$/.test(said)) return said;
	const ending = /\.([a-z0-9]+)$/i.exec(pathOf(url))?.[1]?.toLowerCase();
	return (ending && EXTENSIONS[ending]) || said || 'application/octet-stream';
}

/** The file name a link ends in, or `sample.<ending>` when it ends in none. */
export function sampleFileName(url: string, mimeType: string): string {
	const last = pathOf(url).split('/').pop() ?? '';
	let name: string;
	try {
		name = decodeURIComponent(last).trim();
	} catch {
		name = last.trim();
	}
	if (name) return name;
	const ending = Object.entries(EXTENSIONS).find(([, type]) => type === mimeType)?.[0] ?? 'bin';
	return `sample.${ending}`;
}

const MB = 1024 * 1024;
const sizeText = (bytes: number) =>
	bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
const article = (kind: SampleKind) => (kind === 'image' ? 'an image' : `a ${kind}`);

/**
 * What keeps a file from being the sample of a header of `kind`, by Meta's rules — its type, then
 * (when `size` is given) its size — with the fix; undefined when it fits.
 */
export function sampleProblem(kind: SampleKind, mimeType: string, size?: number): { problem: string; fix: string } | undefined {
	const types = TEMPLATE_MEDIA_API.fileTypes[kind];
	if (!types.includes(mimeType.toLowerCase())) {
		return {
			problem: `is ${mimeType || 'of no known type'}, but Meta takes ${TAKES[kind]} (${types.join(', ')}) as the sample of ${article(kind)} header`,
			fix: `Give ${TAKES[kind]}, or set the header to the kind of file you have.`,
		};
	}
	if (size === undefined) return undefined;
	if (size === 0) return { problem: 'is empty', fix: `Give ${TAKES[kind]} with content.` };
	const limit = MEDIA_LIMITS[kind];
	if (size > limit) {
		const shown = sizeText(size) === sizeText(limit) ? `${size} bytes` : sizeText(size);
		return {
			problem: `has ${shown}, but Meta takes at most ${sizeText(limit)} for ${article(kind)}`,
			fix: `Give a smaller ${kind}.`,
		};
	}
	return undefined;
}
