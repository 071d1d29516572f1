/** The Create Template builder's Buttons field: up to 10 buttons, each of a kind Meta allows. */
import type { INodeProperties } from 'n8n-workflow';

export function buttonsField(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		displayOptions: { show },
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Button',
		default: {},
		description:
			'Up to 10 buttons: at most 2 URL, 1 phone number and 1 offer code; quick replies next to each other. AUTHENTICATION templates take exactly one Copy Code (One-Time Password) button.',
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Button Type',
						name: 'type',
						type: 'options',
						options: [
							{
								name: 'Copy Code (One-Time Password)',
								value: 'copyCode',
								description: 'Copies the one-time code the message carries (AUTHENTICATION templates)',
							},
							{ name: 'Copy Offer Code', value: 'couponCode', description: 'Copies a coupon code (MARKETING templates)' },
							{ name: 'Phone Number', value: 'phoneNumber', description: 'Calls a number' },
							{ name: 'Quick Reply', value: 'quickReply', description: 'Sends its label back as a reply' },
							{ name: 'URL', value: 'url', description: 'Opens a web page, optionally with a dynamic end' },
						],
						default: 'quickReply',
						description: 'What the button does',
					},
					{
						displayName: 'Label',
						name: 'text',
						type: 'string',
						default: '',
						placeholder: 'Track order',
						displayOptions: { hide: { type: ['couponCode'] } },
						description:
							'Text on the button, at most 25 characters, no placeholders. Copy Code (One-Time Password) defaults to "Copy code".',
					},
					{
						displayName: 'Offer Code Example',
						name: 'couponExample',
						type: 'string',
						displayOptions: { show: { type: ['couponCode'] } },
						default: '',
						placeholder: 'SUMMER20',
						description: 'A sample offer code for Meta\'s review, at most 15 characters; WhatsApp labels the button "Copy offer code"',
					},
					{
						displayName: 'Phone Number',
						name: 'phoneNumber',
						type: 'string',
						displayOptions: { show: { type: ['phoneNumber'] } },
						default: '',
						placeholder: '+15551234567',
						description: 'Number to call, in international format',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						displayOptions: { show: { type: ['url'] } },
						default: '',
						placeholder: 'https://shop.example.com/orders/{{1}}',
						description: 'Web address to open. End it with {{1}} to add a dynamic part per message.',
					},
					{
						displayName: 'URL Example Suffix',
						name: 'urlSuffixExample',
						type: 'string',
						displayOptions: { show: { type: ['url'] } },
						default: '',
						placeholder: '1042',
						description: 'Sample value for {{1}} at the end of the URL. Required when the URL ends with {{1}}.',
					},
				],
			},
		],
	};
}
