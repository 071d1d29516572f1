/**
 * Contact → Create or Update: the contact with the item's phone is updated, or created. Every item
 * is checked first; then the items go to Lynkist in as few requests as it allows (see byPhone).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { newWithoutFirstName } from '../../helpers/contacts';
import { errorItem, forItem } from '../../helpers/errors';
import type { RunState } from '../types';
import { type ContactToSave, findByPhones, saveByPhone } from './byPhone';
import { contactFields } from './fields';
import { contactInput } from './input';

const show = { resource: ['contact'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+91 99999 99999',
		displayOptions: { show },
		description: 'Finds the contact: with its country code, written as people write it (compared as E.164)',
	},
	{
		displayName: 'First Name',
		name: 'first_name',
		type: 'string',
		default: '',
		displayOptions: { show },
		description: 'Needed when no contact has this phone yet; an existing contact gets it too, or keeps its own when this is left empty',
	},
	contactFields('additionalFields', 'Additional Fields', show),
];

function output(itemIndex: number, json: IDataObject): INodeExecutionData[] {
	return [{ json, pairedItem: { item: itemIndex } }];
}

export async function run(this: IExecuteFunctions, runState: RunState): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[][] = new Array(items.length);
	const pending: ContactToSave[] = [];
	const failItem = (itemIndex: number, error: Error) => {
		const wrapped =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? forItem(error, itemIndex)
				: new NodeOperationError(this.getNode(), error.message, { itemIndex });
		if (!this.continueOnFail()) throw wrapped;
		out[itemIndex] = [errorItem(wrapped, itemIndex, this.getNode().onError === 'continueErrorOutput')];
	};
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const body = contactInput(this, itemIndex, runState, {
				top: ['first_name', 'phone'],
				collection: 'additionalFields',
				requireFirstName: false,
			});
			if (!body.phone)
				throw new NodeOperationError(
					this.getNode(),
					`"Phone" of item ${itemIndex + 1} is empty: Create or Update finds the contact by its phone`,
					{ itemIndex },
				);
			pending.push({ itemIndex, body });
		} catch (error) {
			failItem(itemIndex, error as Error);
		}
	}
	// Without a first name an item can only update: its phone's contact must exist, checked before anything is saved.
	const found = await findByPhones.call(
		this,
		pending.filter((p) => p.body.first_name === undefined).map((p) => String(p.body.phone)),
	);
	const ready = pending.filter(({ itemIndex, body }) => {
		const nameless = newWithoutFirstName(body, found.get(String(body.phone)) ?? [], 'First Name', itemIndex);
		if (nameless)
			failItem(
				itemIndex,
				new NodeOperationError(this.getNode(), nameless, { itemIndex, description: 'Lynkist needs a first name to create a contact.' }),
			);
		return !nameless;
	});
	for (const [itemIndex, result] of await saveByPhone.call(this, ready, found)) {
		if (result instanceof Error) failItem(itemIndex, result);
		else out[itemIndex] = output(itemIndex, result);
	}
	return [out.flat()];
}
