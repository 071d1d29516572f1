/**
 * Send Template's contact options, done for the whole run before its first send: the recipients'
 * contacts found with one search per 100 phones (Skip Opted-Out Recipients), then saved with one
 * bulk request per 500 (Create or Update Contact). Each item notes its recipient while it is
 * prepared; the first item sent does the lookups and saves for all of them; each then reads its
 * own outcome.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type ContactSave, mergedWithContact, newWithoutFirstName, type OptOutRule, optedOutContact } from '../../helpers/contacts';
import { type ContactToSave, findByPhones, saveByPhone } from '../contact/byPhone';
import { checkedContact } from '../contact/input';
import type { RunState } from '../types';

export interface Recipient {
	itemIndex: number;
	phone: string;
	/** The opt-out rule to apply, if any. */
	optOut?: OptOutRule;
	/** The contact fields to save (Create or Update Contact), if any. */
	contact?: ContactSave;
	/** false to only look up (Validate Only). */
	save: boolean;
}

export interface RecipientOutcome {
	/** The contact that says the recipient opted out: the item is skipped. */
	optedOut?: IDataObject;
	/** The recipient's contact: as saved, or as found. */
	contact?: IDataObject;
	/** Why the contact could not be saved: the item fails, nothing is sent. */
	error?: Error;
	/** The custom field the opt-out rule reads. */
	optOutField?: string;
}

/** Send Template's options that the contact options read. */
export interface ContactOptions {
	optOut?: { rule?: { field?: string; value?: string } };
	validateOnly?: boolean;
}

/** The item's recipient for the contact options (Skip Opted-Out Recipients, Create or Update Contact), checked; undefined without them. */
export function recipientOf(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunState,
	phone: string,
	options: ContactOptions,
): Recipient | undefined {
	const rule = options.optOut?.rule;
	let optOut: OptOutRule | undefined;
	if (rule) {
		const field = String(rule.field ?? '').trim();
		if (!field)
			throw new NodeOperationError(this.getNode(), `"Skip Opted-Out Recipients → Custom Field" of item ${itemIndex + 1} is empty`, {
				itemIndex,
				description: 'Name the contact custom field that records an opt-out (e.g. opted_out), or remove the option.',
			});
		optOut = { field, value: String(rule.value ?? '') };
	}
	const { saveContact, contactFields } = run.parameters.read(itemIndex, { saveContact: false, contactFields: {} });
	const contact = saveContact
		? checkedContact(this, itemIndex, contactFields as IDataObject, { requireFirstName: false, what: 'Contact Fields → ' })
		: undefined;
	return optOut || contact ? { itemIndex, phone, optOut, contact, save: !options.validateOnly } : undefined;
}

const runs = new WeakMap<RunState, { recipients: Recipient[]; outcomes?: Promise<Map<number, RecipientOutcome>> }>();

/** Notes a recipient whose send has contact options, while the items are prepared. */
export function noteRecipient(run: RunState, recipient: Recipient): void {
	const found = runs.get(run) ?? { recipients: [] };
	found.recipients.push(recipient);
	runs.set(run, found);
}

async function settle(this: IExecuteFunctions, recipients: Recipient[]): Promise<Map<number, RecipientOutcome>> {
	const found = await findByPhones.call(
		this,
		recipients.map((r) => r.phone),
	);
	const outcomes = new Map<number, RecipientOutcome>();
	const toSave: ContactToSave[] = [];
	for (const { itemIndex, phone, optOut, contact, save } of recipients) {
		const contacts = found.get(phone) ?? [];
		const optedOut = optOut ? optedOutContact(contacts, optOut, contact?.body) : undefined;
		const outcome: RecipientOutcome = { optedOut, contact: contacts[0], optOutField: optOut?.field };
		outcomes.set(itemIndex, outcome);
		if (!contact || optedOut) {
			if (contact && save) toSave.push({ itemIndex, ...contact, body: { ...contact.body, phone } });
			continue;
		}
		const nameless = newWithoutFirstName({ ...contact.body, phone }, contacts, 'Contact Fields → First Name', itemIndex);
		if (nameless) {
			outcome.error = new NodeOperationError(this.getNode(), nameless, {
				itemIndex,
				description: 'Lynkist needs a first name to create a contact. Nothing was sent for this item.',
			});
			continue;
		}
		if (save) toSave.push({ itemIndex, ...contact, body: { ...contact.body, phone } });
		else outcome.contact = { ...contacts[0], ...mergedWithContact(contact, contacts[0]), phone };
	}
	// Stopping on the first error: nothing is saved when an item already cannot be.
	if (toSave.length === 0 || stopsOn(this, outcomes)) return outcomes;
	const phones = new Map(toSave.map((c) => [c.itemIndex, String(c.body.phone)]));
	for (const [itemIndex, result] of await saveByPhone.call(this, toSave, found)) {
		const outcome = outcomes.get(itemIndex)!;
		if (!(result instanceof Error)) outcome.contact = result;
		else if (!outcome.optedOut)
			outcome.error = new NodeOperationError(this.getNode(), result.message, {
				itemIndex,
				description: `Create or Update Contact could not save the contact of ${phones.get(itemIndex)}, so nothing was sent for this item.`,
			});
	}
	stopsOn(this, outcomes);
	return outcomes;
}

/**
 * When the node stops on errors and an item's contact cannot be saved: every item gets that
 * error, so the run stops at its first send (looked for once per run, not once per item).
 */
function stopsOn(context: IExecuteFunctions, outcomes: Map<number, RecipientOutcome>): boolean {
	const first = context.continueOnFail() ? undefined : [...outcomes.values()].find((o) => o.error)?.error;
	if (first) for (const outcome of outcomes.values()) outcome.error = first;
	return first !== undefined;
}

/**
 * Item `itemIndex`'s contact options, before its send (the lookups and saves of every noted
 * recipient happen at the first call): `skipped`, the item's output, when the recipient opted
 * out; else `contact`, fields for its output. Throws when its contact could not be saved — or,
 * when the node stops on errors, when any contact could not be.
 */
export async function beforeSend(
	this: IExecuteFunctions,
	run: RunState,
	itemIndex: number,
	send: IDataObject,
): Promise<{ skipped?: IDataObject; contact?: IDataObject }> {
	const state = runs.get(run);
	if (!state) return {};
	state.outcomes ??= settle.call(this, state.recipients);
	const outcome = (await state.outcomes).get(itemIndex);
	if (!outcome) return {};
	if (outcome.error) throw outcome.error;
	if (outcome.optedOut) {
		const { id = null } = outcome.optedOut;
		return {
			skipped: { messageId: null, status: 'skipped', skipped: 'opted out', ...send, contactId: id, optOutField: outcome.optOutField },
		};
	}
	return { contact: { contactId: outcome.contact?.id ?? null } };
}
