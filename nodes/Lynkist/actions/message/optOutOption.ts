/** Skip Opted-Out Recipients: the option Send Template and Send and Wait for Reply share. */
import type { INodeProperties } from 'n8n-workflow';

export const optOutOption: INodeProperties = {
	displayName: 'Skip Opted-Out Recipients',
	name: 'optOut',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add Opt-Out Rule',
	description:
		"Recipients whose Lynkist contact has this custom field set to this value are not messaged: their item says skipped: 'opted out'. Looked up with one search per 100 recipients; needs the contacts:read scope.",
	options: [
		{
			displayName: 'Rule',
			name: 'rule',
			values: [
				{
					displayName: 'Custom Field',
					name: 'field',
					type: 'string',
					default: '',
					required: true,
					placeholder: 'opted_out',
					description: 'The contact custom field that records an opt-out',
				},
				{
					displayName: 'Opted-Out Value',
					name: 'value',
					type: 'string',
					default: 'true',
					description:
						'The value that means "opted out", compared ignoring case (true matches true, TRUE and "true"). Leave empty to count any value except empty, false, no and 0.',
				},
			],
		},
	],
};
