/** Duplicate Check: the option Send Template and Send and Wait for Reply share. */
import type { INodeProperties } from 'n8n-workflow';

export const duplicateCheckOption: INodeProperties = {
	displayName: 'Duplicate Check',
	name: 'duplicateCheck',
	type: 'options',
	default: 'message',
	options: [
		{
			name: 'Same Message Once per 24 Hours',
			value: 'message',
			description:
				"The same recipient, template and variables from this node are sent once within Lynkist's 24 hours: retries, an execution Retry and a webhook posted twice replay instead of sending again",
		},
		{
			name: 'Once per Execution',
			value: 'execution',
			description:
				'Each execution sends its own messages, even identical ones; its retries (Retry On Fail, an execution Retry) still never send twice',
		},
	],
	description:
		'What counts as the same send when no Idempotency Key is given. A send Lynkist already had is not sent again; the output says replayed: true where Lynkist says so (null where it does not say).',
};
