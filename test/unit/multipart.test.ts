import { multipartFile, multipartForm } from '../../nodes/Lynkist/helpers/multipart';

describe('multipartFile', () => {
	it('frames one file part under the given boundary', () => {
		const { contentType, body } = multipartFile(
			{ field: 'file', fileName: 'banner "1".png', contentType: 'image/png', data: Buffer.from([0, 1, 2]) },
			'XYZ',
		);
		expect(contentType).toBe('multipart/form-data; boundary=XYZ');
		expect(
			body.equals(
				Buffer.concat([
					Buffer.from('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="banner _1_.png"\r\nContent-Type: image/png\r\n\r\n'),
					Buffer.from([0, 1, 2]),
					Buffer.from('\r\n--XYZ--\r\n'),
				]),
			),
		).toBe(true);
	});

	it('puts text fields before the file (a template sample upload: session_id, then file)', () => {
		const { body } = multipartForm(
			{ session_id: 'upload:abc' },
			{ field: 'file', fileName: 'a.png', contentType: 'image/png', data: Buffer.from([7]) },
			'B',
		);
		expect(body.toString('latin1')).toBe(
			'--B\r\nContent-Disposition: form-data; name="session_id"\r\n\r\nupload:abc\r\n' +
				'--B\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x07\r\n--B--\r\n',
		);
	});

	it('picks a fresh boundary by default', () => {
		const part = { field: 'file', fileName: 'a', contentType: 'text/plain', data: Buffer.from('a') };
		expect(multipartFile(part).contentType).not.toBe(multipartFile(part).contentType);
	});
});
