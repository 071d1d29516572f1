/**
 * Contact → Create or Update: the contact with the item's phone is updated, or created. Every item
 * is checked first; then the items go to Lynkist in as few requests as it allows (see byPhone).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { newWithoutFirstName } from '../../helpers/contacts';
import { errorItem, forItem, itemRanges, type LynkistNodeError } from '../../../shared/helpers/errors';
import type { RunState } from '../types';
import { type ContactsByPhone, type ContactToSave, findByPhones, type SaveResult, saveByPhone } from './byPhone';
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
	contactFields('additionalFields', 'Additional Fields', show, [], { merging: true }),
];

function output(itemIndex: number, json: IDataObject): INodeExecutionData[] {
	return [{ json, pairedItem: { item: itemIndex } }];
}

export async function run(this: IExecuteFunctions, runState: RunState): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[][] = new Array(items.length);
	const pending: ContactToSave[] = [];
	let stop: LynkistNodeError | undefined;
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
			const save = contactInput(this, itemIndex, runState, {
				top: ['first_name', 'phone'],
				collection: 'additionalFields',
				requireFirstName: false,
			});
			if (!save.body.phone)
				throw new NodeOperationError(
					this.getNode(),
					`"Phone" of item ${itemIndex + 1} is empty: Create or Update finds the contact by its phone`,
					{ itemIndex },
				);
			pending.push({ itemIndex, ...save });
		} catch (error) {
			failItem(itemIndex, error as Error);
		}
	}
	// Without a first name an item can only update: its phone's contact must exist, checked before anything is saved.
	const nameless = pending.filter((p) => p.body.first_name === undefined).map((p) => String(p.body.phone));
	let found: ContactsByPhone;
	try {
		found = await findByPhones.call(this, nameless);
	} catch (error) {
		for (const { itemIndex } of pending) failItem(itemIndex, error as Error);
		return [out.flat()];
	}
	const ready = pending.filter(({ itemIndex, body }) => {
		const problem = newWithoutFirstName(body, found.get(String(body.phone)) ?? [], 'First Name', itemIndex);
		if (problem)
			failItem(
				itemIndex,
				new NodeOperationError(this.getNode(), problem, { itemIndex, description: 'Lynkist needs a first name to create a contact.' }),
			);
		return !problem;
	});
	const results = await saveByPhone.call(this, ready, found);
	for (const [itemIndex, result] of results) {
		if (!(result instanceof Error)) out[itemIndex] = output(itemIndex, result);
		else if (this.continueOnFail()) failItem(itemIndex, result);
		else stop ??= forItem(asNodeError(this, result, itemIndex), itemIndex);
	}
	if (stop) throw withSaved(stop, results);
	return [out.flat()];
}

function asNodeError(context: IExecuteFunctions, error: Error, itemIndex: number): LynkistNodeError {
	return error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(context.getNode(), error.message, { itemIndex });
}

/** The error that stops the node, saying which items Lynkist had saved before it. */
function withSaved(error: LynkistNodeError, results: Map<number, SaveResult>): LynkistNodeError {
	const saved = [...results].filter(([, result]) => !(result instanceof Error)).map(([itemIndex]) => itemIndex);
	const text = saved.length
		? `Items ${itemRanges(saved)} (${saved.length} of ${results.size}) had been saved when the node stopped; the others were not.`
		: 'No contact was saved.';
	error.description = [error.description, text].filter(Boolean).join(' ');
	error.context = { ...error.context, saved: saved.map((i) => i + 1) };
	return error;
}
