/** The ways to point at an approved template, shared by every operation that takes one. */
import type { INodePropertyMode } from 'n8n-workflow';

/** Searchable, paged list of approved templates shown as name · language · category; the value is the ID. */
export const fromList: INodePropertyMode = {
	displayName: 'From List',
	name: 'list',
	type: 'list',
	typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
};

export const byId: INodePropertyMode = {
	displayName: 'By ID',
	name: 'id',
	type: 'string',
	placeholder: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
	validation: [
		{
			type: 'regex',
			properties: {
				regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
				errorMessage: 'A template ID is a UUID, like f47ac10b-58cc-4372-a567-0e02b2c3d479',
			},
		},
	],
};
