import { MEDIA_LIMITS, TEMPLATE_MEDIA_API } from '../../nodes/shared/constants';
import { buildComponents } from '../../nodes/Lynkist/helpers/templateBuilder';
import { checkTemplate } from '../../nodes/Lynkist/helpers/templateChecks';
import {
	isSampleLink,
	mediaHeaderOf,
	sampleFileName,
	sampleMimeType,
	sampleProblem,
	withHeaderHandle,
} from '../../nodes/Lynkist/helpers/templateSample';

const body = { type: 'BODY', text: 'Hi' };

describe('mediaHeaderOf', () => {
	it('finds an IMAGE, VIDEO or DOCUMENT header, its kind and the first example.header_handle', () => {
		expect(mediaHeaderOf([body, { type: 'HEADER', format: 'VIDEO', example: { header_handle: ['https://x.io/a.mp4', 'b'] } }])).toEqual({
			index: 1,
			format: 'VIDEO',
			kind: 'video',
			value: 'https://x.io/a.mp4',
		});
		expect(mediaHeaderOf([{ type: 'HEADER', format: 'DOCUMENT' }, body])).toEqual({
			index: 0,
			format: 'DOCUMENT',
			kind: 'document',
			value: undefined,
		});
	});

	it('finds nothing for a text header, no header, or components that are not a list', () => {
		expect(mediaHeaderOf([{ type: 'HEADER', format: 'TEXT', text: 'Hi' }, body])).toBeUndefined();
		expect(mediaHeaderOf([body])).toBeUndefined();
		expect(mediaHeaderOf({ type: 'HEADER', format: 'IMAGE' })).toBeUndefined();
	});
});

it.each([
	['https://cdn.example.com/a.jpg', true],
	['  http://127.0.0.1:8080/sample.png ', true],
	['4::aW1hZ2UvcG5n:ARb', false],
	['2:c2FtcGxl', false],
	['example.com/a.jpg', false],
	['', false],
	[undefined, false],
])('isSampleLink(%j) → %s (a link is downloaded and uploaded; anything else is a handle kept as it is)', (value, link) => {
	expect(isSampleLink(value)).toBe(link);
});

it('withHeaderHandle puts the handle in the header at the index, keeping the rest of its example and the other components', () => {
	const header = { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://x.io/a.png'], other: 1 } };
	const components: object[] = [header, body];
	const out = withHeaderHandle(components, 0, '4::abc');
	expect(out).toEqual([{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::abc'], other: 1 } }, body]);
	expect(out[1]).toBe(body);
	expect(header.example.header_handle).toEqual(['https://x.io/a.png']);
	expect(withHeaderHandle([{ type: 'HEADER', format: 'VIDEO' }], 0, 'h')).toEqual([
		{ type: 'HEADER', format: 'VIDEO', example: { header_handle: ['h'] } },
	]);
});

describe('sampleMimeType and sampleFileName', () => {
	it.each([
		['image/png', 'https://x.io/a', 'image/png'],
		['IMAGE/JPEG; charset=binary', 'https://x.io/a', 'image/jpeg'],
		[undefined, 'https://x.io/files/Sample.JPG?sig=1#top', 'image/jpeg'],
		['application/octet-stream', 'https://x.io/brochure.pdf', 'application/pdf'],
		['binary/octet-stream', 'https://x.io/clip.mp4', 'video/mp4'],
		['application/octet-stream', 'https://x.io/clip', 'application/octet-stream'],
		[undefined, 'https://x.io/', 'application/octet-stream'],
		['text/html', 'https://x.io/a.png', 'text/html'],
	])('Content-Type %j from %s → %s', (contentType, url, type) => {
		expect(sampleMimeType(contentType, url)).toBe(type);
	});

	it.each([
		['https://x.io/files/my%20banner.png?x=1', 'image/png', 'my banner.png'],
		['https://x.io/', 'image/png', 'sample.png'],
		['https://x.io', 'application/pdf', 'sample.pdf'],
		['https://x.io/%E0%A4%A', 'video/mp4', '%E0%A4%A'],
		['https://x.io/?q=1', 'text/plain', 'sample.bin'],
	])('%s (%s) → %s', (url, type, name) => {
		expect(sampleFileName(url, type)).toBe(name);
	});
});

describe("sampleProblem: Meta's file types and size limits", () => {
	it.each([
		['image', 'image/png', 1000],
		['image', 'image/jpeg', MEDIA_LIMITS.image],
		['video', 'video/mp4', MEDIA_LIMITS.video],
		['document', 'application/pdf', MEDIA_LIMITS.document],
	] as const)('a %s of %s and %i bytes fits', (kind, type, size) => {
		expect(sampleProblem(kind, type, size)).toBeUndefined();
	});

	it('names the type Meta takes, and the fix', () => {
		expect(sampleProblem('image', 'image/gif')).toEqual({
			problem: 'is image/gif, but Meta takes a JPEG or PNG image (image/jpeg, image/jpg, image/png) as the sample of an image header',
			fix: 'Give a JPEG or PNG image, or set the header to the kind of file you have.',
		});
		expect(sampleProblem('document', 'image/png')?.problem).toMatch(/^is image\/png, but Meta takes a PDF document \(application\/pdf\)/);
		expect(sampleProblem('video', '')?.problem).toMatch(/^is of no known type/);
	});

	it('names the size and the limit; an empty file is refused too', () => {
		expect(sampleProblem('image', 'image/png', MEDIA_LIMITS.image + 1)).toEqual({
			problem: `has ${MEDIA_LIMITS.image + 1} bytes, but Meta takes at most 5 MB for an image`,
			fix: 'Give a smaller image.',
		});
		expect(sampleProblem('video', 'video/mp4', 17 * 1024 * 1024)?.problem).toBe('has 17 MB, but Meta takes at most 16 MB for a video');
		expect(sampleProblem('image', 'image/png', 0)?.problem).toBe('is empty');
	});

	it('checks only the type when the size is not known yet', () => {
		expect(sampleProblem('image', 'image/png')).toBeUndefined();
	});
});

it('the assumed session body and answers are read in one place', () => {
	expect(TEMPLATE_MEDIA_API.sessionBody({ fileName: 'a.png', mimeType: 'image/png', size: 3 })).toEqual({
		file_name: 'a.png',
		file_type: 'image/png',
		file_length: 3,
	});
	expect(TEMPLATE_MEDIA_API.sessionIdOf({ data: { session_id: 'upload:1', expires_at: 'x' } })).toBe('upload:1');
	expect(TEMPLATE_MEDIA_API.sessionIdOf({ session_id: 'upload:1' })).toBeUndefined();
	expect(TEMPLATE_MEDIA_API.handleOf({ data: { handle: '4::h' } })).toBe('4::h');
	expect(TEMPLATE_MEDIA_API.handleOf(undefined)).toBeUndefined();
});

it('a builder media header with a link passes the template checks, and one without a sample names what to give', () => {
	const input = { headerType: 'image' as const, bodyText: 'Hello', bodyExamples: [], buttons: [] };
	const withLink = buildComponents({ ...input, headerExample: 'https://x.io/a.png' });
	expect(checkTemplate({ name: 'a', language: 'en', category: 'MARKETING', components: withLink })).toEqual([]);
	expect(checkTemplate({ name: 'a', language: 'en', category: 'MARKETING', components: buildComponents(input) })).toEqual([
		"Header: the IMAGE header needs a sample image for Meta's reviewers — give it from binary data or a link (Header Sample; in JSON: example.header_handle or Header Sample From Binary)",
	]);
});
