import { contactBody, simplifyContact } from '../../nodes/Lynkist/helpers/contacts';

describe('contactBody', () => {
	it('keeps the fields given, trimmed, the phone as E.164, tags from text, custom fields from pairs', () => {
		expect(
			contactBody(
				{
					first_name: ' Ada ',
					last_name: '',
					phone: '+1 (555) 010-0001',
					email: 'ada@example.com',
					status: 'customer',
					tags: 'vip, newsletter ,',
					custom_fields: {
						field: [
							{ key: 'opted_out', value: 'no' },
							{ key: ' ', value: 'dropped' },
						],
					},
				},
				{ requireFirstName: true },
			),
		).toEqual({
			ok: true,
			body: {
				first_name: 'Ada',
				phone: '+15550100001',
				email: 'ada@example.com',
				status: 'customer',
				tags: ['vip', 'newsletter'],
				custom_fields: { opted_out: 'no' },
			},
		});
	});

	it('takes tags as a list and custom fields as an object or JSON text', () => {
		expect(contactBody({ tags: ['a', ' b '], custom_fields: '{"tier": 2}' }, { requireFirstName: false })).toEqual({
			ok: true,
			body: { tags: ['a', 'b'], custom_fields: { tier: 2 } },
		});
		expect(contactBody({ custom_fields: { tier: 2 } }, { requireFirstName: false })).toEqual({
			ok: true,
			body: { custom_fields: { tier: 2 } },
		});
	});

	it.each([
		[{ phone: '+15550100001' }, true, 'First Name', 'is empty: Lynkist needs a first name for a new contact'],
		[{ first_name: 'A', phone: '555 0100' }, true, 'Phone', expect.stringContaining('has no country code')],
		[{ first_name: 'A', phone: 'call me' }, true, 'Phone', expect.stringContaining('not part of a phone number')],
		[{ first_name: 'A', email: 'ada at example' }, true, 'Email', '"ada at example" is not an email address'],
		[{ first_name: 'x'.repeat(256) }, true, 'First Name', 'is longer than 255 characters'],
		[{ custom_fields: '{oops' }, false, 'Custom Fields', 'is not valid JSON'],
		[{ custom_fields: 7 }, false, 'Custom Fields', 'must be an object of field names and values'],
	])('%j refused: %s', (input, requireFirstName, field, reason) => {
		expect(contactBody(input, { requireFirstName })).toEqual({ ok: false, field, reason });
	});

	it('an update with nothing filled in is an empty body', () => {
		expect(contactBody({ first_name: '', email: '  ' }, { requireFirstName: false })).toEqual({ ok: true, body: {} });
	});
});

it('simplifyContact keeps what most workflows need', () => {
	expect(
		simplifyContact({
			id: 'c',
			first_name: 'A',
			last_name: null,
			phone: '+1',
			email: null,
			status: 's',
			tags: [],
			custom_fields: {},
			company: 'x',
		}),
	).toEqual({ id: 'c', first_name: 'A', last_name: null, phone: '+1', email: null, status: 's', tags: [] });
});
