/**
 * The REFI-QDA project writer behind `code --format qdpx` and `export qdpx`:
 * each transcript becomes a TextSource whose plain text (`Speaker: text`
 * lines) sits in sources/, each coded turn (or match) a PlainTextSelection
 * coded by the user "relcode". Positions are code points, as the standard
 * says. GUIDs come from the content, so the same input gives the same project.
 */
import { createHash } from 'node:crypto';
import { Zip, ZipDeflate } from 'fflate';
import type { Codebook } from '../codebook/model.js';
import type { CodedTranscript } from '../coding/model.js';
import { codeElements, codeGuid, ORIGIN } from '../qda/codebook.js';
import { guid } from '../qda/guid.js';
import { renderTranscript } from '../qda/plain-text.js';
import { codePointOffsets } from '../qda/positions.js';
import { sourceName } from '../qda/project.js';
import { element, textElement } from '../qda/xml.js';

export interface QdpxSink {
  add(t: CodedTranscript): void;
  /** the .qdpx (zip) bytes */
  end(): Uint8Array;
}

export interface QdpxOptions {
  /** creationDateTime of everything, and the zip entries' time; default SOURCE_DATE_EPOCH, else now */
  now?: Date;
}

export const USER_NAME = 'relcode';

export function createQdpxSink(codebook: Codebook, unit: 'turn' | 'match', options: QdpxOptions = {}): QdpxSink {
  const now = new Date(options.now ?? fromEnv() ?? new Date());
  now.setUTCMilliseconds(0);
  const when = now.toISOString().replace('.000Z', 'Z');
  // zip times are local clock fields from 1980 on; write the UTC clock so exports match across machines
  const zipTime = new Date(Math.max(now.getTime(), Date.UTC(1980, 0, 2)) + now.getTimezoneOffset() * 60_000);
  const user = guid('user', USER_NAME);
  const stamp = { creatingUser: user, creationDateTime: when };
  const codes = new Map(codebook.dimensions.map((d) => [d.id, codeGuid(codebook, d.id)]));
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  const write = (name: string, text: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = zipTime;
    zip.add(file);
    file.push(new TextEncoder().encode(text), true);
  };
  const sources: string[] = [];
  const used = new Set<string>();
  const unique = (g: string, ...more: (string | number)[]) => {
    let id = g;
    for (let n = 2; used.has(id); n++) id = guid(g, ...more, n);
    used.add(id);
    return id;
  };

  return {
    add(t) {
      const rendered = renderTranscript(t.turns, codebook.roles);
      const text = rendered.text;
      const cp = codePointOffsets(text);
      const digest = createHash('sha256').update(text).digest('hex');
      const source = unique(guid('source', codebook.name, t.id, digest));
      const selections: string[] = [];
      const selection = (start: number, end: number, name: string, dims: string[]) => {
        const [s, e] = [cp[start]!, cp[end]!];
        if (e <= s) return;
        const sel = unique(guid('selection', source, unit, s, e, ...dims));
        const codings = dims.map((d) =>
          element('Coding', { guid: unique(guid('coding', sel, d)), ...stamp }, [element('CodeRef', { targetGUID: codes.get(d)! }, [], '        ')], '      '),
        );
        selections.push(element('PlainTextSelection', { guid: sel, name, startPosition: s, endPosition: e, ...stamp }, codings, '    '));
      };
      t.turns.forEach((turn, k) => {
        const at = rendered.turns[k]!;
        const label = `Turn ${k + 1} (${turn.speaker})`;
        if (unit === 'turn') {
          const dims = codebook.dimensions.map((d) => d.id).filter((id) => (turn.counts[id] ?? 0) > 0);
          if (dims.length) selection(at.textStart, at.textEnd, label, dims);
        } else {
          for (const m of turn.matches) {
            const [s, e] = at.span(m.start, m.end);
            selection(s, e, `Turn ${k + 1}: ${m.match}`, [m.dimension]);
          }
        }
      });
      write(`sources/${source}.txt`, text);
      sources.push(element('TextSource', { guid: source, name: sourceName(t.id), plainTextPath: `internal://${source}.txt`, ...stamp }, selections, '    '));
    },

    end() {
      const project = element(
        'Project',
        { xmlns: 'urn:QDA-XML:project:1.0', name: codebook.name, origin: ORIGIN, creatingUserGUID: user, creationDateTime: when },
        [
          element('Users', {}, [element('User', { guid: user, name: USER_NAME }, [], '    ')], '  '),
          ...(codebook.dimensions.length ? [element('CodeBook', {}, [element('Codes', {}, codeElements(codebook, '      '), '    ')], '  ')] : []),
          ...(sources.length ? [element('Sources', {}, sources, '  ')] : []),
          textElement(
            'Description',
            `Automatic coding by ${ORIGIN} with the codebook "${codebook.name}" ${codebook.version}: ` +
              (unit === 'turn' ? 'each selection is a coded turn.' : 'each selection is one indicator match.'),
            '  ',
          ),
        ],
      );
      write('project.qde', `<?xml version="1.0" encoding="utf-8"?>\n${project}\n`);
      zip.end();
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let p = 0;
      for (const c of chunks) (out.set(c, p), (p += c.length));
      return out;
    },
  };
}

function fromEnv(): Date | undefined {
  const s = process.env.SOURCE_DATE_EPOCH;
  return s && /^\d+$/.test(s) ? new Date(Number(s) * 1000) : undefined;
}
