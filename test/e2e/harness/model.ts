/**
 * A scripted OpenAI-compatible chat model on loopback, for n8n's AI Agent: each call to
 * `/v1/chat/completions` takes the next scripted turn — tool calls, or a final answer — and every
 * request is kept, so a test reads what the agent sent (the tools offered, the tool results).
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export type Turn = { toolCalls: Array<{ name: string; args: Record<string, unknown> }> } | { answer: string };

export interface Model {
	/** The base URL to give n8n's OpenAI credential. */
	url: string;
	requests: Array<Record<string, any>>;
	/** What the agent got back from its tools, as the last request carried it: each tool message's content. */
	toolResults(): string[];
	script(turns: Turn[]): void;
	close(): void;
}

export async function startModel(): Promise<Model> {
	const requests: Model['requests'] = [];
	let turns: Turn[] = [];
	let calls = 0;
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			res.setHeader('content-type', 'application/json');
			if (!req.url?.endsWith('/chat/completions')) {
				res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model' }] }));
				return;
			}
			requests.push(JSON.parse(body || '{}'));
			const turn = turns.shift() ?? { answer: 'Done.' };
			const message =
				'answer' in turn
					? { role: 'assistant', content: turn.answer }
					: {
							role: 'assistant',
							content: null,
							tool_calls: turn.toolCalls.map((call) => ({
								id: `call_${++calls}`,
								type: 'function',
								function: { name: call.name, arguments: JSON.stringify(call.args) },
							})),
						};
			res.end(
				JSON.stringify({
					id: `chatcmpl-${calls}`,
					object: 'chat.completion',
					created: Math.floor(Date.now() / 1000),
					model: 'scripted',
					choices: [{ index: 0, message, finish_reason: 'answer' in turn ? 'stop' : 'tool_calls' }],
					usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
				}),
			);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
		requests,
		toolResults: () =>
			(requests.at(-1)?.messages ?? []).filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content),
		script: (next) => {
			turns = [...next];
		},
		close: () => server.close(),
	};
}
