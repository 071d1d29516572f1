import type { IDataObject } from 'n8n-workflow';

import {
	contactBody,
	mergedWithContact,
	needsExisting,
	newWithoutFirstName,
	optedOutContact,
	saysOptedOut,
	simplifyContact,
} from '../../nodes/Lynkist/helpers/contacts';

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
			replaceTags: false,
		});
	});

	it('takes tags as a list and custom fields as an object or JSON text', () => {
		expect(contactBody({ tags: ['a', ' b '], custom_fields: '{"tier": 2}' }, { requireFirstName: false })).toEqual({
			ok: true,
			body: { tags: ['a', 'b'], custom_fields: { tier: 2 } },
			replaceTags: false,
		});
		expect(contactBody({ custom_fields: { tier: 2 } }, { requireFirstName: false })).toEqual({
			ok: true,
			body: { custom_fields: { tier: 2 } },
			replaceTags: false,
		});
	});

	it('leaves out a custom field given empty, so an empty column never clears what the contact has, unless asked to clear it', () => {
		const custom_fields = {
			field: [{ key: 'opted_out', value: '' }, { key: 'tier', value: ' ' }, { key: 'source', value: 'shop' }, { key: 'gone' }],
		};
		expect(contactBody({ custom_fields }, { requireFirstName: false })).toEqual({
			ok: true,
			body: { custom_fields: { source: 'shop' } },
			replaceTags: false,
		});
		expect(contactBody({ custom_fields: { opted_out: null } }, { requireFirstName: false })).toEqual({
			ok: true,
			body: {},
			replaceTags: false,
		});
		expect(contactBody({ custom_fields, empty_custom_fields: 'clear' }, { requireFirstName: false })).toEqual({
			ok: true,
			body: { custom_fields: { opted_out: '', tier: ' ', source: 'shop', gone: null } },
			replaceTags: false,
		});
	});

	it("says whether the tags replace the contact's", () => {
		expect(contactBody({ tags: 'a', tags_mode: 'replace' }, { requireFirstName: false })).toEqual({
			ok: true,
			body: { tags: ['a'] },
			replaceTags: true,
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
		expect(contactBody({ first_name: '', email: '  ' }, { requireFirstName: false })).toEqual({ ok: true, body: {}, replaceTags: false });
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

describe('mergedWithContact', () => {
	const save = (body: IDataObject, replaceTags = false) => ({ body, replaceTags });

	it("adds the given custom fields to the contact's others, the given ones winning", () => {
		expect(
			mergedWithContact(save({ first_name: 'Ada', custom_fields: { tier: 2 } }), { custom_fields: { tier: 1, opted_out: 'yes' } }),
		).toEqual({ first_name: 'Ada', custom_fields: { tier: 2, opted_out: 'yes' } });
	});

	it("adds the given tags to the contact's, once each, unless they replace them", () => {
		expect(mergedWithContact(save({ tags: ['customer', 'vip'] }), { tags: ['vip', 'newsletter'] })).toEqual({
			tags: ['vip', 'newsletter', 'customer'],
		});
		expect(mergedWithContact(save({ tags: ['customer'] }, true), { tags: ['vip'] })).toEqual({ tags: ['customer'] });
	});

	it('leaves a body without custom fields or tags, or a new contact, as it is', () => {
		expect(mergedWithContact(save({ first_name: 'Ada' }), { custom_fields: { opted_out: 'yes' }, tags: ['vip'] })).toEqual({
			first_name: 'Ada',
		});
		expect(mergedWithContact(save({ custom_fields: { a: 1 }, tags: ['x'] }), undefined)).toEqual({ custom_fields: { a: 1 }, tags: ['x'] });
	});

	it('needs the contact Lynkist has only to keep custom fields or add tags', () => {
		expect(needsExisting(save({ first_name: 'Ada' }))).toBe(false);
		expect(needsExisting(save({ tags: ['a'] }))).toBe(true);
		expect(needsExisting(save({ tags: ['a'] }, true))).toBe(false);
		expect(needsExisting(save({ custom_fields: {} }, true))).toBe(true);
	});
});

describe('saysOptedOut', () => {
	const rule = (value: string) => ({ field: 'opted_out', value });

	it('compares as text, ignoring case and spaces', () => {
		expect(saysOptedOut(true, rule('true'))).toBe(true);
		expect(saysOptedOut(' TRUE ', rule('true'))).toBe(true);
		expect(saysOptedOut('Yes', rule(' yes'))).toBe(true);
		expect(saysOptedOut('no', rule('yes'))).toBe(false);
		expect(saysOptedOut(1, rule('1'))).toBe(true);
	});

	it('with an empty value, any value but empty, false, no and 0 counts', () => {
		for (const value of ['2026-11-30', 'yes', true, 1]) expect(saysOptedOut(value, rule(''))).toBe(true);
		for (const value of ['', ' ', 'false', 'No', 0, false, null, undefined]) expect(saysOptedOut(value, rule(''))).toBe(false);
	});

	it('never counts an object or a list', () => {
		expect(saysOptedOut({ at: 'x' }, rule(''))).toBe(false);
		expect(saysOptedOut(['yes'], rule('yes'))).toBe(false);
	});
});

describe('optedOutContact', () => {
	const rule = { field: 'opted_out', value: 'yes' };
	const ada = { id: 'a', custom_fields: { opted_out: 'yes' } };
	const bob = { id: 'b', custom_fields: { opted_out: 'no' } };

	it('finds the contact that opted out, among all with the phone', () => {
		expect(optedOutContact([bob, ada], rule)).toBe(ada);
		expect(optedOutContact([bob], rule)).toBeUndefined();
		expect(optedOutContact([], rule)).toBeUndefined();
	});

	it('what the send saves on the first contact counts: it may record the opt-out, or lift it', () => {
		expect(optedOutContact([bob], rule, { custom_fields: { opted_out: 'yes' } })).toBe(bob);
		expect(optedOutContact([ada], rule, { custom_fields: { opted_out: 'no' } })).toBeUndefined();
		expect(optedOutContact([ada], rule, { first_name: 'Ada' })).toBe(ada);
		expect(optedOutContact([], rule, { custom_fields: { opted_out: 'yes' } })).toEqual({});
	});
});

describe('newWithoutFirstName', () => {
	it('names the item and the field when a new contact has no first name; an existing contact or a given name is fine', () => {
		expect(newWithoutFirstName({ phone: '+15550100001' }, [], 'First Name', 2)).toBe(
			'"First Name" of item 3 is empty, and +15550100001 has no contact in Lynkist yet',
		);
		expect(newWithoutFirstName({ phone: '+15550100001' }, [{ id: 'a' }], 'First Name', 2)).toBeUndefined();
		expect(newWithoutFirstName({ phone: '+15550100001', first_name: 'Ada' }, [], 'First Name', 2)).toBeUndefined();
	});
});
