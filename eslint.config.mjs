import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// n8n's community-node rules, strict (Cloud-eligible) set, on the published code and package.json.
export default defineConfig(
	globalIgnores(['dist/', 'node_modules/', '.dev/', '.e2e/', 'sandbox/', 'test/', 'scripts/', 'bench/', 'examples/', '*.js']),
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		extends: [tseslint.configs.recommended, n8nCommunityNodesPlugin.configs.recommended],
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
		extends: [n8nCommunityNodesPlugin.configs.recommended],
	},
);
