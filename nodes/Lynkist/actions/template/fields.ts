/** Parameter pieces more than one template operation shows. */
import type { INodePropertyOptions } from 'n8n-workflow';

export const categoryOptions: INodePropertyOptions[] = [
	{
		name: 'Authentication',
		value: 'AUTHENTICATION',
		description: 'One-time codes; a body with {{1}} for the code and one Copy Code button',
	},
	{ name: 'Marketing', value: 'MARKETING', description: 'Promotions, offers, announcements' },
	{ name: 'Utility', value: 'UTILITY', description: 'Updates about an order, account or booking the customer asked for' },
];
