/**
 * Send and Wait for Reply's appointment confirmation, as the suites ask it: the question template
 * (a date to confirm, Yes and No as quick replies, and a link between them) and the node that asks.
 */
import { QUESTION } from '../../../bench/wait';
import { lynkistNode, NodeJson } from './workflows';

export { QUESTION, replyEndpointsSaved } from '../../../bench/wait';

export const NO_BUTTONS = {
	template_name: 'plain_question',
	language: 'en',
	category: 'UTILITY',
	components: [{ type: 'BODY', text: 'What time suits you on {{1}}?', example: { body_text: [['Monday']] } }],
};

/** The Send and Wait node asking the appointment posted to the workflow's webhook. */
export function askNode(credential: { id: string; name: string }, parameters: Record<string, unknown> = {}): NodeJson {
	return lynkistNode(
		'Ask',
		{
			resource: 'message',
			operation: 'sendAndWait',
			to: '={{ $json.body.phone }}',
			replyType: 'button',
			template: { __rl: true, mode: 'name', value: QUESTION.template_name },
			variables: { mappingMode: 'defineBelow', value: { body_1: '={{ $json.body.slot }}' }, matchingColumns: [], schema: [] },
			...parameters,
		},
		credential,
	);
}
