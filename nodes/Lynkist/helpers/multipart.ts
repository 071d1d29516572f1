/** A multipart/form-data body with one file, as bytes (what Lynkist's media upload takes). Pure. */
import { randomBytes } from 'crypto';

export interface FilePart {
	field: string;
	fileName: string;
	contentType: string;
	data: Buffer;
}

const quoted = (value: string) => value.replace(/["\r\n\\]/g, '_');

export function multipartFile(part: FilePart, boundary = `----lynkist${randomBytes(12).toString('hex')}`) {
	const head =
		`--${boundary}\r\n` +
		`Content-Disposition: form-data; name="${quoted(part.field)}"; filename="${quoted(part.fileName)}"\r\n` +
		`Content-Type: ${part.contentType}\r\n\r\n`;
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		body: Buffer.concat([Buffer.from(head, 'utf8'), part.data, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]),
	};
}
