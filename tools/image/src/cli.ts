// npm run image:assemble -- <folder>: puts in <folder> exactly what genstream's container image holds
// (deploy/docker/Dockerfile runs this in its build stage and copies the folder into the image).
import { resolve } from 'node:path';
import { progressFor, repoRoot } from '@genstream/stack';
import { assembleImage } from './assemble.js';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: npm run image:assemble -- <folder>');
  process.exit(2);
}
const say = progressFor('image');
const image = await assembleImage(repoRoot(), resolve(folder), say);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
say(
  `${image.dir}: ${image.bundles.length} bundles, ${image.packagesInstalled} npm packages ` +
    `(${Object.keys(image.dependencies).length} imported directly); ${mib(image.bytes.app)} in all, ` +
    `${mib(image.bytes.nodeModules)} of it node_modules`,
);
