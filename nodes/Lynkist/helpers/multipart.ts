/** A multipart/form-data body with one file, and text fields before it, as bytes (what Lynkist's media uploads take). Pure. */
import { randomBytes } from 'crypto';

export interface FilePart {
	field: string;
	fileName: string;
	contentType: string;
	data: Buffer;
}

const quoted = (value: string) => value.replace(/["\r\n\\]/g, '_');

/** The file and, before it, one text part per entry of `fields`. */
export function multipartForm(fields: Record<string, string>, part: FilePart, boundary = `----lynkist${randomBytes(12).toString('hex')}`) {
	const text = Object.entries(fields)
		.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`)
		.join('');
	const head =
		`${text}--${boundary}\r\n` +
		`Content-Disposition: form-data; name="${quoted(part.field)}"; filename="${quoted(part.fileName)}"\r\n` +
		`Content-Type: ${part.contentType}\r\n\r\n`;
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		body: Buffer.concat([Buffer.from(head, 'utf8'), part.data, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]),
	};
}

export function multipartFile(part: FilePart, boundary?: string) {
	return multipartForm({}, part, boundary);
}
