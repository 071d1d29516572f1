/**
 * Send and Wait for Reply's appointment confirmation, as the suites ask it: the question template
 * (a date to confirm, Yes and No as quick replies, and a link between them) and the node that asks.
 */
import { QUESTION } from '../../../bench/wait';
import type { N8n } from '../../../scripts/n8n';
import { REPLY_ENDPOINT_PREFIX, WAIT_ENDPOINT_PREFIX } from '../../../nodes/Lynkist/helpers/waitConstants';
import { control, readBack, type Sandbox } from './sandbox';
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

type Tenant = { id: string };

/**
 * What the Send and Wait suites read and do: n8n has the executions; the sandbox plays the
 * customer (the question it got, its reply) and is Lynkist (endpoints, deliveries). `at()`: the
 * suite's running sandbox and n8n, and the tenant read unless another is named.
 */
export function appointmentDesk(at: () => { sandbox: Sandbox; n8n: N8n; tenant: Tenant }) {
	const status = async (executionId: string): Promise<string | undefined> =>
		(await at().n8n.rest('GET', `/executions/${executionId}`)).body?.data?.status;
	const endpoints = async (t = at().tenant) =>
		(await control(at().sandbox, 'GET', `/tenants/${t.id}/webhooks`)).data as Array<Record<string, any>>;
	const described = (prefix: string) => async (t?: Tenant) => (await endpoints(t)).filter((e) => String(e.description).startsWith(prefix));
	return {
		status,
		/** Until the execution has begun waiting, or ended; → its id. */
		async untilAsked(executionId: string, timeoutMs = 30_000): Promise<string> {
			for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
				if (!['new', 'running', undefined].includes(await status(executionId))) return executionId;
			}
			throw new Error(`execution ${executionId} did not begin waiting`);
		},
		/** The last message the business sent to this number. */
		messageTo: async (phone: string, t = at().tenant) =>
			(await readBack(at().sandbox, t.id, 'messages')).filter((m) => m.to === phone).at(-1)!,
		/** The customer replies to a message: `{ text }`, `{ button }`, … (sandbox README). */
		reply: (messageId: string, answer: Record<string, unknown>, t = at().tenant) =>
			control(at().sandbox, 'POST', `/tenants/${t.id}/messages/${messageId}/reply`, answer),
		endpoints,
		/** Endpoints of waits of their own. */
		waitEndpoints: described(WAIT_ENDPOINT_PREFIX),
		/** Endpoints of published Send and Wait nodes. */
		replyEndpoints: described(REPLY_ENDPOINT_PREFIX),
		deliveries: (t = at().tenant) => readBack(at().sandbox, t.id, 'deliveries'),
	};
}
