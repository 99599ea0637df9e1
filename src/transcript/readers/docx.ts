import { fail, type Report } from '../../diagnostics.js';
import { requirePackage } from '../../packages.js';
import type { RawTranscript } from '../model.js';
import { parseText, type TextReadOptions } from './text.js';

/**
 * The paragraphs of a .docx, in document order (table cells included), empty ones kept
 * so that their numbers match what a reader counts in Word.
 */
export async function docxParagraphs(bytes: Uint8Array, file: string): Promise<string[]> {
  let value: string;
  try {
    // loaded here, not at start-up: only .docx input needs it
    const mammoth = requirePackage('mammoth') as typeof import('mammoth');
    ({ value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  } catch (err) {
    // JSZip and mammoth explain in their first sentence (no zip, no word/document.xml)
    const reason = String((err as Error)?.message ?? err).split(/[.:?]\s/)[0]!.slice(0, 120);
    return fail('bad-docx', { file }, `not a readable .docx file: ${reason}`,
      'save it from Word or LibreOffice as a Word document (.docx); an old .doc must be re-saved as .docx');
  }
  // mammoth ends every paragraph with a blank line; a paragraph holds no newline of its own
  const paragraphs = value.split('\n\n');
  if (paragraphs[paragraphs.length - 1] === '') paragraphs.pop();
  return paragraphs.map((p) => p.replace(/\n/g, ' '));
}

/**
 * Speaker-labelled paragraphs, read by the text reader's rules with one paragraph per line,
 * so line numbers in diagnostics are paragraph numbers.
 */
export async function readDocx(bytes: Uint8Array, options: TextReadOptions, report: Report): Promise<RawTranscript> {
  const paragraphs = await docxParagraphs(bytes, options.file);
  return parseText(paragraphs.join('\n'), options, report);
}
