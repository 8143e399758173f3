// The interface's texts: German and English have the same keys, and every
// key the pages ask for exists. Needs no browser and no coordinator.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ui = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ui');
// Imported from their text: ui/ is served to browsers, it has no package.json
// telling node that its .js files are modules.
async function load(file) {
  const source = await readFile(path.join(ui, file), 'utf8');
  return import(`data:text/javascript,${encodeURIComponent(source)}`);
}
const { en } = await load('texts-en.js');
const { de } = await load('texts-de.js');

test('German and English have the same keys', () => {
  assert.deepEqual(Object.keys(de).filter((key) => !(key in en)), [], 'only in German');
  assert.deepEqual(Object.keys(en).filter((key) => !(key in de)), [], 'only in English');
});

test('every text the pages ask for by a fixed key exists', async () => {
  const missing = [];
  for (const file of (await readdir(ui)).filter((name) => name.endsWith('.js'))) {
    const source = await readFile(path.join(ui, file), 'utf8');
    for (const match of source.matchAll(/\bt\(\s*'([a-z_.]+)'/g)) {
      if (!(match[1] in en)) missing.push(`${file}: ${match[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('placeholders are the same in both languages', () => {
  const names = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const different = Object.keys(en).filter((key) => key in de &&
      JSON.stringify(names(en[key])) !== JSON.stringify(names(de[key])));
  assert.deepEqual(different, []);
});
