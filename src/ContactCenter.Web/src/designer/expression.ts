// The syntax of our condition and assignment language (docs/bpmn-subset.md), ported from the
// engine's parser (src/ContactCenter.Engine/Expressions/Expression.cs) so the designer reports
// exactly the expressions the server refuses, with the same messages. Syntax only: nothing is
// evaluated here.

export class ExpressionSyntaxError extends Error {
  constructor(message: string, readonly position: number) { super(message); }
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isWord = (c: string) => isLetter(c) || isDigit(c) || c === '_';
// .NET's char.IsWhiteSpace for the characters a person can type.
const isSpace = (c: string) => /\s/.test(c);

/** Expression.MaxNesting: each '(' and each 'not' is one level. */
export const MAX_NESTING = 64;

/** Excerpt.Of: long text quoted back in a message by its start and its length. */
export function excerpt(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)`;
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  private enter(position: number): void {
    if (++this.depth > MAX_NESTING) {
      throw new ExpressionSyntaxError(`the expression nests deeper than ${MAX_NESTING} levels (parentheses and 'not') at position ${position + 1}; split it into simpler conditions`, position);
    }
  }

  whole(): void {
    this.skip();
    if (this.pos >= this.text.length) throw new ExpressionSyntaxError('the expression is empty', 0);
    this.or();
    this.skip();
    if (this.pos < this.text.length) throw new ExpressionSyntaxError(`unexpected '${excerpt(this.text.slice(this.pos), 30)}' at position ${this.pos + 1}`, this.pos);
  }

  private or(): void { this.and(); while (this.keyword('or')) this.and(); }
  private and(): void { this.not(); while (this.keyword('and')) this.not(); }
  private not(): void {
    let nots = 0;
    while (this.keyword('not')) { this.enter(this.pos - 3); nots++; }
    this.comparison();
    this.depth -= nots;
  }

  private comparison(): void {
    this.primary();
    this.skip();
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        this.primary();
        return;
      }
    }
  }

  private primary(): void {
    this.skip();
    const t = this.text;
    if (this.pos >= t.length) throw new ExpressionSyntaxError('the expression ends where a value was expected', this.pos);
    const c = t[this.pos];
    if (c === '(') {
      this.enter(this.pos);
      this.pos++;
      this.or();
      this.skip();
      if (this.pos >= t.length || t[this.pos] !== ')') throw new ExpressionSyntaxError(`')' expected at position ${this.pos + 1}`, this.pos);
      this.pos++;
      this.depth--;
      return;
    }
    if (c === '\'' || c === '"') {
      const start = this.pos++;
      while (this.pos < t.length && t[this.pos] !== c) this.pos++;
      if (this.pos >= t.length) throw new ExpressionSyntaxError(`the string starting at position ${start + 1} is not closed`, start);
      this.pos++;
      return;
    }
    if (isDigit(c) || (c === '-' && this.pos + 1 < t.length && isDigit(t[this.pos + 1]))) {
      const start = this.pos++;
      while (this.pos < t.length && (isDigit(t[this.pos]) || t[this.pos] === '.')) this.pos++;
      const number = t.slice(start, this.pos);
      if (!/^-?(\d+\.?\d*|\.\d+)$/.test(number)) throw new ExpressionSyntaxError(`'${excerpt(number, 30)}' is not a number`, start);
      return;
    }
    if (isLetter(c) || c === '_') {
      const start = this.pos;
      while (this.pos < t.length && isWord(t[this.pos])) this.pos++;
      const word = t.slice(start, this.pos);
      if (word === 'and' || word === 'or' || word === 'not') {
        throw new ExpressionSyntaxError(`'${word}' at position ${start + 1} needs a value before it`, start);
      }
      return;
    }
    throw new ExpressionSyntaxError(`unexpected '${c}' at position ${this.pos + 1}`, this.pos);
  }

  private keyword(word: string): boolean {
    this.skip();
    const end = this.pos + word.length;
    if (end <= this.text.length && this.text.startsWith(word, this.pos) && (end === this.text.length || !isWord(this.text[end]))) {
      this.pos = end;
      return true;
    }
    return false;
  }

  private skip(): void {
    while (this.pos < this.text.length && isSpace(this.text[this.pos])) this.pos++;
  }
}

/** Throws ExpressionSyntaxError where Expression.Parse would. */
export function checkExpression(text: string): void {
  new Parser(text).whole();
}

const reserved = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !reserved.has(name);
}

/** Splits at semicolons outside string literals, as Expression.Statements does. */
function statements(text: string): { part: string; offset: number }[] {
  const parts: { part: string; offset: number }[] = [];
  let start = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) quote = c === quote ? '' : quote;
    else if (c === '\'' || c === '"') quote = c;
    else if (c === ';') { parts.push({ part: text.slice(start, i), offset: start }); start = i + 1; }
  }
  parts.push({ part: text.slice(start), offset: start });
  return parts;
}

/** Throws ExpressionSyntaxError where Expression.ParseAssignments would (cc:assign). */
export function checkAssignments(text: string): void {
  for (const { part, offset } of statements(text)) {
    if (!part.trim()) continue;
    const equals = part.indexOf('=');
    if (equals < 0 || part[equals + 1] === '=') throw new ExpressionSyntaxError(`'${excerpt(part.trim())}' is not of the form name = expression`, offset);
    const name = part.slice(0, equals).trim();
    if (!isIdentifier(name)) throw new ExpressionSyntaxError(`'${excerpt(name)}' is not a variable name`, offset);
    checkExpression(part.slice(equals + 1));
  }
}

/** IsoDuration.Max: 366 days, in milliseconds. */
const MAX_DURATION_MS = 366 * 24 * 3600 * 1000;

/**
 * IsoDuration.Parse: ISO 8601 weeks, or days, hours, minutes, seconds (a fraction on seconds only),
 * at most 366 days. Milliseconds, or null; error then says why when the text is a duration but a
 * refused one, and is null when it is no duration at all.
 */
export function readDuration(text: string): { ms: number | null; error: string | null } {
  const value = text.trim();
  const match = /^P(?:([0-9]+)W|(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]+)?)S)?)?)$/.exec(value);
  if (!match || value === 'P' || value === 'PT' || value.endsWith('T')) return { ms: null, error: null };
  const parts = match.slice(1);
  if (parts.some(p => p !== undefined && p.split('.')[0].length > 12)) return { ms: null, error: 'has a number longer than 12 digits' };
  const [w, d, h, m, s] = parts.map(x => (x === undefined ? 0 : Number(x)));
  const ms = ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000;
  return ms > MAX_DURATION_MS ? { ms: null, error: 'is longer than the limit of 366 days' } : { ms, error: null };
}
