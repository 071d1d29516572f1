/**
 * An example's pinned data lets the editor show input and resolve `$json` before anything has
 * run; on a Code node it must stay what the code returns, or the example runs otherwise than
 * it shows.
 */
import { exampleWorkflows } from '../../scripts/examples';

const pinnedCode = exampleWorkflows().flatMap((workflow) =>
	Object.entries<unknown[]>(workflow.pinData ?? {})
		.map(([name, items]) => [`${workflow.name} → ${name}`, workflow.nodes.find((n: { name: string }) => n.name === name), items] as const)
		.filter(([, node]) => node?.type === 'n8n-nodes-base.code'),
);

it.each(pinnedCode)('%s: pinned data is what its code returns', (_, node, items) => {
	expect(new Function(node.parameters.jsCode)()).toEqual(items);
});
