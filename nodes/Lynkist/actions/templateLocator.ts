/** The Template field of every operation that takes an approved template. */
import type { INodeProperties } from 'n8n-workflow';

/**
 * A template picker: a searchable, paged list shown as name · language · category whose value is
 * the ID, or the ID typed in, or (where the operation resolves names) the name. The modes are
 * written inline, as n8n's scanner reads them only there.
 */
export function templateLocator(
	show: Record<string, string[]>,
	description: string,
	{
		byName = false,
		searchListMethod = 'searchTemplates',
	}: { byName?: boolean; searchListMethod?: 'searchTemplates' | 'searchQuickReplyTemplates' } = {},
): INodeProperties {
	return {
		displayName: 'Template',
		name: 'template',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		displayOptions: { show },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
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
			},
			...(byName ? [{ displayName: 'By Name', name: 'name', type: 'string' as const, placeholder: 'order_confirmation' }] : []),
		],
	};
}
