/** Reading a contact's fields from an item's parameters, checked before any request. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { contactBody, type ContactInput, type ContactSave } from '../../helpers/contacts';
import type { RunState } from '../types';

/**
 * Lynkist's body for item `itemIndex`, and how its tags meet the contact's: `top` fields (e.g.
 * First Name) and the collection `collection`, read through the run's parameter reader (one
 * expression trip per item).
 */
export function contactInput(
	context: IExecuteFunctions,
	itemIndex: number,
	run: RunState,
	{ top = [], collection, requireFirstName }: { top?: Array<keyof ContactInput>; collection: string; requireFirstName: boolean },
): ContactSave {
	const values = run.parameters.read(itemIndex, { [collection]: {}, ...Object.fromEntries(top.map((name) => [name, ''])) });
	const fields = { ...(values[collection] as IDataObject) };
	for (const name of top) fields[name] = values[name] as IDataObject[string];
	return checkedContact(context, itemIndex, fields, { requireFirstName });
}

/** Lynkist's body for a contact collection's values (Custom Fields (JSON) instead of the pairs when given). */
export function checkedContact(
	context: IExecuteFunctions,
	itemIndex: number,
	values: IDataObject,
	{ requireFirstName, what = '' }: { requireFirstName: boolean; what?: string },
): ContactSave {
	const fields = { ...values };
	if (fields.custom_fields_json !== undefined && fields.custom_fields_json !== '{}') fields.custom_fields = fields.custom_fields_json;
	delete fields.custom_fields_json;
	const checked = contactBody(fields as ContactInput, { requireFirstName });
	if (!checked.ok) {
		throw new NodeOperationError(context.getNode(), `"${what}${checked.field}" of item ${itemIndex + 1} ${checked.reason}`, {
			itemIndex,
			description: 'Nothing was sent for this item.',
		});
	}
	return { body: checked.body, replaceTags: checked.replaceTags };
}

/** The contact ID of the item's Contact picker, or an error naming the item. */
export function contactId(context: IExecuteFunctions, itemIndex: number): string {
	const id = String(context.getNodeParameter('contact', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!id) {
		throw new NodeOperationError(context.getNode(), `"Contact" of item ${itemIndex + 1} is empty`, {
			itemIndex,
			description: 'Pick a contact from the list, or give its ID (e.g. map the "id" field of a Get Many output).',
		});
	}
	return id;
}

/** Lynkist's 404 for a contact, in words. */
export const contactNotFound = (id: string) => ({
	404: {
		message: `Contact ${id} not found`,
		description: 'It may have been deleted (Lynkist archives deleted contacts). Check the ID.',
	},
});
