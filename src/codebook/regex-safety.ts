/**
 * A conservative check for the regex shapes that backtrack exponentially in
 * JavaScript's engine: a quantified group whose body is itself quantified
 * (`(a+)+`, `(\w*)*`, `(a|aa)+` is out of reach of this check).
 */
export function unsafeRegexReason(source: string): string | undefined {
  // Strip escapes and character classes so their contents do not look like structure.
  const flat = source.replace(/\\./g, 'x').replace(/\[(?:[^\]\\]|\\.)*\]/g, 'x');
  const stack: { quantified: boolean }[] = [];
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i]!;
    if (c === '(') stack.push({ quantified: false });
    else if (c === ')') {
      const group = stack.pop();
      const next = flat[i + 1];
      const groupQuantified = next === '+' || next === '*' || next === '{';
      if (group?.quantified && groupQuantified) return `nested quantifier in group ending at index ${i}`;
      if (group?.quantified && stack.length) stack[stack.length - 1]!.quantified = true;
    } else if ((c === '+' || c === '*' || c === '{') && stack.length) {
      stack[stack.length - 1]!.quantified = true;
    }
  }
  return undefined;
}
