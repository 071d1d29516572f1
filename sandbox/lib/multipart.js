'use strict';
/** A small multipart/form-data reader: enough for file uploads. */

function boundaryOf(contentType) {
	if (typeof contentType !== 'string' || !/^multipart\/form-data\b/i.test(contentType)) return null;
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : null;
}

function parseHeaders(text) {
	const headers = {};
	for (const line of text.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const disposition = headers['content-disposition'] ?? '';
	return {
		name: /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1],
		filename: /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1],
		contentType: headers['content-type'],
	};
}

/** → the parts `{ name, filename, contentType, data }`, or null when the body is not valid multipart. */
function parseMultipart(buffer, boundary) {
	const delimiter = Buffer.from(`--${boundary}`);
	const separator = Buffer.from(`\r\n--${boundary}`);
	let pos = buffer.indexOf(delimiter);
	if (pos === -1) return null;
	pos += delimiter.length;
	const parts = [];
	for (;;) {
		if (buffer[pos] === 0x2d && buffer[pos + 1] === 0x2d) return parts;
		if (buffer[pos] !== 0x0d || buffer[pos + 1] !== 0x0a) return null;
		const headerEnd = buffer.indexOf('\r\n\r\n', pos + 2);
		if (headerEnd === -1) return null;
		const next = buffer.indexOf(separator, headerEnd + 4);
		if (next === -1) return null;
		parts.push({ ...parseHeaders(buffer.toString('utf8', pos + 2, headerEnd)), data: buffer.subarray(headerEnd + 4, next) });
		pos = next + separator.length;
	}
}

module.exports = { boundaryOf, parseMultipart };
