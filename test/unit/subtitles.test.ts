import { Lynkist } from '../../nodes/Lynkist/Lynkist.node';
import { LynkistTrigger } from '../../nodes/LynkistTrigger/LynkistTrigger.node';

/** The canvas subtitle for these parameters: the expression's JavaScript run with `$parameter`. */
function subtitle(expression: unknown, $parameter: Record<string, unknown>): string {
	const code = /^=\{\{([\s\S]*)\}\}$/.exec(String(expression))?.[1];
	return new Function('$parameter', `return (${code});`)($parameter);
}

describe('canvas subtitles read as people would write them', () => {
	const action = new Lynkist().description.subtitle;
	it.each([
		[
			{ operation: 'sendTemplate', template: { mode: 'list', value: 'x', cachedResultName: 'order_confirmation · en_US · UTILITY' } },
			'Send template: order_confirmation',
		],
		[{ operation: 'sendTemplate', template: { mode: 'id', value: 'x' } }, 'Send template'],
		[{ operation: 'create' }, 'Create template'],
		[{ operation: 'submit' }, 'Submit template'],
		[{ operation: 'get' }, 'Get template'],
		[{ operation: 'getAll' }, 'Get many templates'],
		[{ resource: 'template', operation: 'create' }, 'Create template'],
		[{ resource: 'contact', operation: 'create' }, 'Create contact'],
		[{ resource: 'contact', operation: 'upsert' }, 'Create or update contact'],
		[{ resource: 'contact', operation: 'getAll' }, 'Get many contacts'],
		[{ resource: 'contact', operation: 'delete' }, 'Delete contact'],
	])('%j → %s', (parameters, expected) => {
		expect(subtitle(action, parameters)).toBe(expected);
	});

	it('the trigger names its events', () => {
		expect(subtitle(new LynkistTrigger().description.subtitle, { events: ['message.delivered', 'message.read'] })).toBe(
			'On delivered, read',
		);
		expect(
			subtitle(new LynkistTrigger().description.subtitle, { events: ['message.failed', 'contact.note_added', 'followup.created'] }),
		).toBe('On failed, contact note added, follow-up created');
	});
});
