/** The Send and Wait for Reply operation's own fields; the message fields are Send Template's. */
import type { INodeProperties } from 'n8n-workflow';

import { templateLocator } from '../templateLocator';
import { duplicateCheckOption } from './duplicateCheckOption';
import { optOutOption } from './optOutOption';

const show = { resource: ['message'], operation: ['sendAndWait'] };

/** Reply Type, and the template picker it decides: for a button reply, templates with quick-reply buttons only. */
export const sendAndWaitTemplate: INodeProperties[] = [
	{
		displayName: 'Reply Type',
		name: 'replyType',
		type: 'options',
		default: 'button',
		displayOptions: { show },
		options: [
			{
				name: 'Button',
				value: 'button',
				description: "A tap on one of the template's quick-reply buttons; the output names the button",
			},
			{ name: 'Text', value: 'text', description: 'The first text the recipient sends after the message' },
			{ name: 'Either', value: 'either', description: 'A button tap or a text, whichever comes first' },
		],
		description: 'What answer resumes the workflow. Messages from other numbers and replies to other messages are ignored.',
	},
	templateLocator(
		{ ...show, replyType: ['button'] },
		'The approved template with quick-reply buttons to send (only those are listed), or its ID or name',
		{ byName: true, searchListMethod: 'searchQuickReplyTemplates' },
	),
	templateLocator(
		{ ...show, replyType: ['text', 'either'] },
		'The approved WhatsApp template to send: pick it from the list (name · language · category), or give its ID or name',
		{ byName: true },
	),
];

export const description: INodeProperties[] = [
	{
		displayName: 'Limit Wait Time',
		name: 'limitWaitTime',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description:
			'Whether the workflow goes on without a reply after a time. It then outputs timedOut: true. n8n checks waiting executions once a minute.',
	},
	{
		displayName: 'Limit Type',
		name: 'limitType',
		type: 'options',
		default: 'afterTimeInterval',
		displayOptions: { show: { ...show, limitWaitTime: [true] } },
		options: [
			{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Wait a certain amount of time' },
			{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Wait until a date and time' },
		],
	},
	{
		displayName: 'Amount',
		name: 'resumeAmount',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		displayOptions: { show: { ...show, limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
		description: 'The time to wait',
	},
	{
		displayName: 'Unit',
		name: 'resumeUnit',
		type: 'options',
		default: 'hours',
		displayOptions: { show: { ...show, limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		description: 'The time unit of the Amount',
	},
	{
		displayName: 'Max Date and Time',
		name: 'maxDateAndTime',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { ...show, limitWaitTime: [true], limitType: ['atSpecifiedTime'] } },
		description: 'When the workflow goes on without a reply',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				...duplicateCheckOption,
				description:
					'What counts as asking the same question twice. With the default, the same question to the same recipient from this node within 24 hours is asked once: an execution started again for it (a webhook posted twice) ends at once with status duplicate, naming the execution that waits for the answer.',
			},
			{
				...optOutOption,
				description:
					"A recipient whose Lynkist contact has this custom field set to this value is not asked: the output says skipped: 'opted out' at once, without waiting. Needs the contacts:read scope.",
			},
		],
	},
];
