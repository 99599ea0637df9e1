/**
 * Dimension ids for dictionary categories. An id becomes a CSV column, so it is
 * lower case `[a-z][a-z0-9_]*` and not a column of the turn-level output; the
 * category's own name is kept as the dimension's label.
 */
import { diagnostic, type Report } from '../../diagnostics.js';
import type { Dictionary } from './model.js';

/** The loader's reserved ids: columns of `relcode code --level turn`. */
const RESERVED = new Set(['transcript', 'turn', 'speaker', 'role', 'start', 'end', 'words', 'text', 'dimension']);

export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** One id per category, in order; every id that is not simply the name in lower case is reported. */
export function dimensionIds(dict: Dictionary, report: Report): string[] {
  const taken = new Set<string>();
  return dict.categories.map((category, i) => {
    const name = category.path.join(' > ');
    let id = category.path.map(slug).filter(Boolean).join('_');
    let why: string | undefined;
    if (id === '') {
      id = `category_${category.source ? slug(category.source) || i + 1 : i + 1}`;
      why = 'its name has no letters a–z or digits';
    } else if (/^[0-9]/.test(id)) {
      id = `dim_${id}`;
      why = 'an id must start with a letter';
    } else if (RESERVED.has(id)) {
      id = `${id}_dim`;
      why = `"${id.slice(0, -4)}" is a column of relcode's turn-level output`;
    }
    if (taken.has(id)) {
      let n = 2;
      while (taken.has(`${id}_${n}`)) n++;
      id = `${id}_${n}`;
      why = 'another category already has that id';
    }
    taken.add(id);
    if (why) {
      report(diagnostic('warning', 'renamed-category', { file: dict.file, line: category.line }, `category "${name}" becomes dimension "${id}": ${why}`, 'the original name is kept as the label; rename the id in the codebook if you like'));
    }
    return id;
  });
}
