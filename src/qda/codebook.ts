/** The codebook as REFI-QDA `Code` elements, shared by the project (.qdpx) and codebook (.qdc) exports. */
import { readFileSync } from 'node:fs';
import type { Codebook } from '../codebook/model.js';
import { element, textElement } from './xml.js';
import { guid } from './guid.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** `origin` of every file relcode writes */
export const ORIGIN = `relcode ${pkg.version}`;

/**
 * Paul Tol's "light" scheme: colour-blind safe, and light enough to read
 * black text on, which is how QDA software shows a code on coded text.
 */
export const PALETTE = ['#77AADD', '#EE8866', '#EEDD88', '#FFAABB', '#99DDFF', '#44BB99', '#BBCC33', '#AAAA00', '#DDDDDD'];

/** The same codebook and dimension give the same GUID in every export, .qdpx or .qdc. */
export function codeGuid(codebook: Codebook, dimensionId: string): string {
  return guid('code', codebook.name, dimensionId);
}

export function codeElements(codebook: Codebook, indent: string): string[] {
  return codebook.dimensions.map((d, i) =>
    element(
      'Code',
      { guid: codeGuid(codebook, d.id), name: d.label || d.id, isCodable: true, color: PALETTE[i % PALETTE.length] },
      d.definition.trim() ? [textElement('Description', d.definition.trim(), `${indent}  `)] : [],
      indent,
    ),
  );
}
