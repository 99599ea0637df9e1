/**
 * A codebook as a REFI-QDA codebook exchange file (.qdc): one Code per
 * dimension, with the same GUIDs and colours as in a .qdpx export, so a
 * codebook imported first and a project imported later line up.
 */
import type { Codebook } from '../codebook/model.js';
import { diagnostic, type Report } from '../diagnostics.js';
import { codeElements, ORIGIN } from '../qda/codebook.js';
import { element } from '../qda/xml.js';

export const QDC_NAMESPACE = 'urn:QDA-XML:codebook:1.0';

export function codebookToQdc(codebook: Codebook, report: Report): string {
  // indicators, rules and examples have no place in a QDA codebook: say so once
  report(
    diagnostic('info', 'not-exported', { file: codebook.file },
      `the .qdc holds each dimension's label, definition and colour; indicators, rules, roles and examples have no REFI-QDA equivalent and are not in it`),
  );
  const codes = codebook.dimensions.length ? [element('Codes', {}, codeElements(codebook, '    '), '  ')] : [];
  return `<?xml version="1.0" encoding="utf-8"?>\n${element('CodeBook', { xmlns: QDC_NAMESPACE, origin: ORIGIN }, codes)}\n`;
}
