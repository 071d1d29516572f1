/** A team chat's incoming webhook, as the delivery-tracking example posts to it: every message it got. */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Chat {
	url: string;
	received: Array<{ text: string }>;
	close: () => void;
}

export async function startChat(): Promise<Chat> {
	const received: Chat['received'] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push(JSON.parse(body));
			res.end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`, received, close: () => server.close() };
}
