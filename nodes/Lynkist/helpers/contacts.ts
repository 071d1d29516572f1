/**
 * Contacts, the pure part: a contact's fields as n8n users enter them → Lynkist's contact body,
 * checked before any request, and the simplified output. No n8n runtime, no I/O.
 */
import type { IDataObject } from 'n8n-workflow';

import { CONTACT_LIMITS } from '../../shared/constants';
import { toE164 } from './phone';
import { isRecord } from '../../shared/helpers/records';

/** A contact's fields as the node's parameters give them (any may be an expression's result). */
export interface ContactInput {
	first_name?: unknown;
	last_name?: unknown;
	phone?: unknown;
	email?: unknown;
	company?: unknown;
	job_title?: unknown;
	status?: unknown;
	/** A list, or text with commas between tags. */
	tags?: unknown;
	/** An object, JSON text of one, or n8n's key/value pairs `{ field: [{ key, value }] }`. */
	custom_fields?: unknown;
	/** `add` (default): the tags given are added to the contact's; `replace`: they are its tags. */
	tags_mode?: unknown;
	/** `keep` (default): a custom field given empty leaves the contact's value; `clear`: it empties it. */
	empty_custom_fields?: unknown;
}

/** Names of the fields as the node shows them, for errors that say which field to fix. */
export const CONTACT_FIELD_NAMES: Record<keyof ContactInput, string> = {
	first_name: 'First Name',
	last_name: 'Last Name',
	phone: 'Phone',
	email: 'Email',
	company: 'Company',
	job_title: 'Job Title',
	status: 'Status',
	tags: 'Tags',
	custom_fields: 'Custom Fields',
	tags_mode: 'Tags Mode',
	empty_custom_fields: 'Empty Custom Field Values',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A contact body to save, and whether its tags replace the contact's (rather than being added to them). */
export interface ContactSave {
	body: IDataObject;
	replaceTags: boolean;
}

export type ContactCheck = ({ ok: true } & ContactSave) | { ok: false; field: string; reason: string };

/** Whether a custom field's value counts as empty: nothing, or text of spaces only. */
const isEmptyValue = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const textOf = (value: unknown) => (typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined);

function tagsOf(value: unknown): string[] | undefined {
	if (Array.isArray(value)) return value.map((t) => String(t).trim()).filter(Boolean);
	const text = textOf(value);
	return text === undefined
		? undefined
		: text
				.split(',')
				.map((t) => t.trim())
				.filter(Boolean);
}

function customFieldsOf(value: unknown): IDataObject | string {
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		try {
			return customFieldsOf(JSON.parse(value));
		} catch {
			return 'is not valid JSON';
		}
	}
	if (isRecord(value) && Array.isArray(value.field)) {
		const pairs = value.field as Array<{ key?: unknown; value?: unknown }>;
		return Object.fromEntries(
			pairs.filter((p) => String(p.key ?? '').trim()).map((p) => [String(p.key).trim(), p.value ?? null]),
		) as IDataObject;
	}
	return isRecord(value) ? (value as IDataObject) : 'must be an object of field names and values';
}

/**
 * Lynkist's body for the given fields: only those given (an empty text is left out, so an update
 * changes only what was filled in), the phone as E.164. A custom field given empty is left out too
 * (an empty column never wipes an opt-out), unless `empty_custom_fields` is `clear`.
 * `requireFirstName` for a create.
 */
export function contactBody(input: ContactInput, { requireFirstName }: { requireFirstName: boolean }): ContactCheck {
	const body: IDataObject = {};
	const fail = (field: keyof ContactInput, reason: string): ContactCheck => ({ ok: false, field: CONTACT_FIELD_NAMES[field], reason });
	for (const field of ['first_name', 'last_name', 'company', 'job_title', 'status', 'email'] as const) {
		const text = textOf(input[field]);
		if (text === undefined || text === '') continue;
		if (text.length > CONTACT_LIMITS.textMax) return fail(field, `is longer than ${CONTACT_LIMITS.textMax} characters`);
		body[field] = text;
	}
	if (requireFirstName && body.first_name === undefined)
		return fail('first_name', 'is empty: Lynkist needs a first name for a new contact');
	if (body.email !== undefined && !EMAIL.test(String(body.email))) return fail('email', `"${String(body.email)}" is not an email address`);
	const phoneText = textOf(input.phone);
	if (phoneText) {
		const phone = toE164(phoneText);
		if (!phone.ok) return fail('phone', phone.reason);
		body.phone = phone.e164;
	}
	const tags = tagsOf(input.tags);
	if (tags?.length) body.tags = tags;
	if (input.custom_fields !== undefined) {
		const custom = customFieldsOf(input.custom_fields);
		if (typeof custom === 'string') return fail('custom_fields', custom);
		const clear = input.empty_custom_fields === 'clear';
		const given = Object.entries(custom).filter(([, value]) => clear || !isEmptyValue(value));
		if (given.length) body.custom_fields = Object.fromEntries(given.map(([key, value]) => [key, value ?? null])) as IDataObject;
	}
	return { ok: true, body, replaceTags: input.tags_mode === 'replace' };
}

/**
 * Why `body` cannot be saved for item `itemIndex`, or undefined: it has no first name and no
 * contact has its phone yet, and Lynkist needs a first name to create one. `field` is the field
 * as the node shows it.
 */
export function newWithoutFirstName(body: IDataObject, existing: IDataObject[], field: string, itemIndex: number): string | undefined {
	if (body.first_name !== undefined || existing.length) return undefined;
	return `"${field}" of item ${itemIndex + 1} is empty, and ${String(body.phone)} has no contact in Lynkist yet`;
}

/** The fields most workflows need: id, names, phone, email, status, tags. */
export function simplifyContact(contact: IDataObject): IDataObject {
	const { id, first_name, last_name, phone, email, status, tags } = contact;
	return { id, first_name, last_name, phone, email, status, tags };
}

/** Whether saving `save` needs the contact as Lynkist has it: to keep its other custom fields, or to add to its tags. */
export function needsExisting({ body, replaceTags }: ContactSave): boolean {
	return body.custom_fields !== undefined || (body.tags !== undefined && !replaceTags);
}

/**
 * The body that leaves `existing` with what the user asked for: Lynkist replaces a contact's
 * custom fields and tags as a whole, so the custom fields not given (an opt-out recorded in
 * Lynkist, say) are carried over, and the tags given are added to the contact's unless they
 * replace them.
 */
export function mergedWithContact({ body, replaceTags }: ContactSave, existing: IDataObject | undefined): IDataObject {
	const merged = { ...body };
	if (isRecord(body.custom_fields) && isRecord(existing?.custom_fields))
		merged.custom_fields = { ...(existing.custom_fields as IDataObject), ...(body.custom_fields as IDataObject) };
	if (Array.isArray(body.tags) && !replaceTags && Array.isArray(existing?.tags))
		merged.tags = [...new Set([...(existing.tags as unknown[]).map(String), ...(body.tags as string[])])];
	return merged;
}

/** The contact custom field that records an opt-out, and the value that means "opted out". */
export interface OptOutRule {
	field: string;
	/** Compared as text, ignoring case and surrounding spaces; empty: any value but empty, false, no or 0. */
	value: string;
}

const NOT_SET = new Set(['', 'false', 'no', '0', 'null']);

/** Whether a custom field's value says "opted out" under `rule`. */
export function saysOptedOut(value: unknown, rule: OptOutRule): boolean {
	if (value === undefined || value === null || typeof value === 'object') return false;
	const text = String(value).trim().toLowerCase();
	const wanted = rule.value.trim().toLowerCase();
	return wanted === '' ? !NOT_SET.has(text) : text === wanted;
}

/**
 * The contact among `contacts` (those with the recipient's phone) that has opted out, or
 * undefined. `saving` is what the send saves on the first of them (it may record the opt-out
 * itself); any one of them opted out is enough.
 */
export function optedOutContact(contacts: IDataObject[], rule: OptOutRule, saving?: IDataObject): IDataObject | undefined {
	const seen = contacts.length ? contacts : saving ? [{}] : [];
	return seen.find((contact, index) => {
		const given = index === 0 && isRecord(saving?.custom_fields) ? saving.custom_fields : {};
		const fields = { ...(isRecord(contact.custom_fields) ? contact.custom_fields : {}), ...given };
		return saysOptedOut(fields[rule.field], rule);
	});
}
