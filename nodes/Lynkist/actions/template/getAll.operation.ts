import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { TemplateFilters } from '../../helpers/templateList';
import { matchesFilters, simplifyTemplate } from '../../helpers/templateList';
import { lynkistPaginate } from '../../../shared/transport';
import { categoryOptions } from './fields';
import { pagingFields } from '../pagingFields';

const show = { resource: ['template'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...pagingFields(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Category',
				name: 'category',
				type: 'options',
				options: categoryOptions,
				default: 'UTILITY',
				description: 'Only templates of this category',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'en_US',
				description: 'Only templates in this exact locale code, e.g. en_US or es (en_US and en are different languages)',
			},
			{
				displayName: 'Name Contains',
				name: 'nameContains',
				type: 'string',
				default: '',
				placeholder: 'order',
				description: 'Only templates whose name contains this text (any case)',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		displayOptions: { show },
		default: false,
		description:
			'Whether to return only the ID, name, language, category and number of variables of each template instead of the full template with its components',
	},
];

/** Lists approved templates, newest first, one output item per template. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const max = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as TemplateFilters;
	const simplify = this.getNodeParameter('simplify', itemIndex, false) as boolean;
	const filtered = Object.values(filters).some(Boolean);
	const templates = await lynkistPaginate.call(
		this,
		'/templates',
		max,
		{ itemIndex },
		filtered ? (template: IDataObject) => matchesFilters(template, filters) : undefined,
	);
	return templates.map((template: IDataObject) => ({
		json: simplify ? (simplifyTemplate(template) as IDataObject) : template,
		pairedItem: { item: itemIndex },
	}));
}
