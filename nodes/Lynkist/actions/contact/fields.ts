/** The contact fields the Contact operations share, and the contact picker. */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** How a save meets the contact Lynkist has: its tags added to or replaced, its custom fields' empty values kept or cleared. */
const MERGE_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Empty Custom Field Values',
		name: 'empty_custom_fields',
		type: 'options',
		default: 'keep',
		options: [
			{
				name: "Keep the Contact's Value",
				value: 'keep',
				description: 'A custom field given empty (an empty column, say) leaves what the contact has, such as a recorded opt-out',
			},
			{ name: "Clear the Contact's Value", value: 'clear', description: 'A custom field given empty is emptied in Lynkist' },
		],
	},
	{
		displayName: 'Tags Mode',
		name: 'tags_mode',
		type: 'options',
		default: 'add',
		options: [
			{ name: "Add to the Contact's Tags", value: 'add', description: 'The tags given join those the contact has' },
			{ name: "Replace the Contact's Tags", value: 'replace', description: "The tags given become the contact's only tags" },
		],
	},
];

/**
 * Company … Tags, and the `extra` fields before them: the optional fields, in a collection named
 * `name`. `merging`: the save may meet an existing contact, so the merge options are offered too.
 */
export function contactFields(
	name: string,
	displayName: string,
	show: NonNullable<IDisplayOptions['show']>,
	extra: Array<'first_name' | 'phone'> = [],
	{ merging = false }: { merging?: boolean } = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: (
			[
				...(extra.includes('first_name') ? [{ displayName: 'First Name', name: 'first_name', type: 'string' as const, default: '' }] : []),
				...(extra.includes('phone')
					? [
							{
								displayName: 'Phone',
								name: 'phone',
								type: 'string' as const,
								default: '',
								placeholder: '+91 99999 99999',
								description: 'With its country code; it is stored as E.164',
							},
						]
					: []),
				{ displayName: 'Company', name: 'company', type: 'string', default: '' },
				{
					displayName: 'Custom Fields',
					name: 'custom_fields',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: {},
					placeholder: 'Add Custom Field',
					description: 'Fields of your own, e.g. opted_out = yes',
					options: [
						{
							displayName: 'Field',
							name: 'field',
							values: [
								{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'opted_out' },
								{ displayName: 'Value', name: 'value', type: 'string', default: '' },
							],
						},
					],
				},
				{
					displayName: 'Custom Fields (JSON)',
					name: 'custom_fields_json',
					type: 'json',
					default: '{}',
					description: 'Instead of Custom Fields: an object',
				},
				{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
				{ displayName: 'Job Title', name: 'job_title', type: 'string', default: '' },
				{ displayName: 'Last Name', name: 'last_name', type: 'string', default: '' },
				{
					displayName: 'Status',
					name: 'status',
					type: 'string',
					default: '',
					placeholder: 'customer',
					description: 'Free text; by convention active, lead or customer',
				},
				{
					displayName: 'Tags',
					name: 'tags',
					type: 'string',
					default: '',
					placeholder: 'vip, newsletter',
					description: 'Tags separated by commas, or a list from an expression',
				},
				...(merging ? MERGE_OPTIONS : []),
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** A contact picker: searchable by name, email or company; or the ID typed in. */
export function contactLocator(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Contact',
		name: 'contact',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		displayOptions: { show },
		description: 'The contact: pick it from the list (search by name, email or company) or give its ID',
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchContacts', searchable: true } },
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '3f0c1a52-5a49-4b8e-9d61-0f3c0f7e1a11',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
							errorMessage: 'A contact ID is a UUID, like 3f0c1a52-5a49-4b8e-9d61-0f3c0f7e1a11',
						},
					},
				],
			},
		],
	};
}
