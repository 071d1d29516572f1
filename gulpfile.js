const { src, dest, parallel } = require('gulp');

/** Icons and codex files are not TypeScript: copy them next to the compiled nodes. */
function icons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

function codex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:assets'] = parallel(icons, codex);
