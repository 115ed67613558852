/**
 * A strict reader for environment files: JSON as RFC 8259 defines it, and nothing that silently
 * means something else. A duplicate key (the last one would win, and `"protected": false` could
 * hide behind `"protected": true`), a byte order mark, comments, trailing commas, NaN, single quotes,
 * invalid UTF-8: each is an error with its line and column. Nesting depth and file size are bounded,
 * so no file can exhaust the stack or the memory.
 */
export const MAX_FILE_BYTES = 256 * 1024;
export const MAX_DEPTH = 24;

export class JsonTextError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly problem: string,
    /** The JSON path where it happened, when known (a duplicate key). */
    readonly path?: string,
  ) {
    super(`line ${line}, column ${column}: ${problem}`);
    this.name = 'JsonTextError';
  }
}

/** Decode bytes as UTF-8, refusing a BOM, UTF-16 and invalid sequences. */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length > MAX_FILE_BYTES)
    throw new JsonTextError(1, 1, `the file is ${bytes.length} bytes; expected at most ${MAX_FILE_BYTES} bytes for an environment file`);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new JsonTextError(1, 1, 'the file is UTF-16 (it starts with a UTF-16 byte order mark); expected UTF-8 without a byte order mark');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    throw new JsonTextError(1, 1, 'a byte order mark (EF BB BF); expected UTF-8 without a byte order mark');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const { line, column } = lineCol(Buffer.from(bytes.subarray(0, at)).toString('utf8'), Infinity);
    throw new JsonTextError(line, column, 'bytes that are not valid UTF-8; expected a UTF-8 text file');
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 1; i <= bytes.length; i++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, i), { stream: true });
    } catch {
      return i - 1;
    }
  }
  return 0;
}

function lineCol(text: string, pos: number): { line: number; column: number } {
  const upto = text.slice(0, Math.min(pos, text.length));
  const nl = upto.lastIndexOf('\n');
  return { line: upto.split('\n').length, column: upto.length - nl };
}

const describeChar = (c: string | undefined) => (c === undefined ? 'the end of the file' : JSON.stringify(c));

/** Parse `text` strictly; throws JsonTextError with line and column. */
export function parseStrictJson(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) throw new JsonTextError(1, 1, 'a byte order mark; expected UTF-8 without a byte order mark');
  if (text.length > MAX_FILE_BYTES)
    throw new JsonTextError(1, 1, `the file has ${text.length} characters; expected at most ${MAX_FILE_BYTES}`);
  const p = new Parser(text);
  p.ws();
  const value = p.value('', 0);
  p.ws();
  if (p.pos < text.length) p.fail(`${describeChar(text[p.pos])} after the end of the document; expected nothing more`);
  return value;
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(problem: string, at = this.pos, path?: string): never {
    const { line, column } = lineCol(this.text, at);
    throw new JsonTextError(line, column, problem, path);
  }

  ws(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '/' && (t[this.pos + 1] === '/' || t[this.pos + 1] === '*'))
        this.fail('a comment; expected JSON, which has no comments (put a note in a "$comment" field instead)');
      else if (c === '#') this.fail('a comment ("#"); expected JSON, which has no comments (put a note in a "$comment" field instead)');
      else return;
    }
  }

  value(path: string, depth: number): unknown {
    if (depth > MAX_DEPTH)
      this.fail(`nesting deeper than ${MAX_DEPTH} levels; expected at most ${MAX_DEPTH} (an environment file needs a few)`);
    const c = this.text[this.pos];
    if (c === '{') return this.object(path, depth);
    if (c === '[') return this.array(path, depth);
    if (c === '"') return this.string();
    if (c === "'") this.fail('a single-quoted string; expected double quotes');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.pos, this.pos + 40))?.[0];
    if (word)
      this.fail(`${JSON.stringify(word)}; expected a value (a string in double quotes, a number, true, false, null, an object or a list)`);
    return this.fail(`${describeChar(c)}; expected a value`);
  }

  object(path: string, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null);
    const seen = new Map<string, number>();
    this.pos++;
    this.ws();
    if (this.text[this.pos] === '}') return (this.pos++, { ...out });
    for (;;) {
      if (this.text[this.pos] !== '"') {
        if (this.text[this.pos] === '}') this.fail('a trailing comma before "}"; expected another "key": value after a comma', this.pos);
        this.fail(`${describeChar(this.text[this.pos])}; expected a key in double quotes`);
      }
      const keyAt = this.pos;
      const key = this.string();
      const keyPath = path ? `${path}.${key}` : key;
      if (seen.has(key)) {
        const first = lineCol(this.text, seen.get(key)!);
        this.fail(
          `duplicate key "${key}" (first at line ${first.line}, column ${first.column}); ` +
            'expected each key once (the last one would silently win)',
          keyAt,
          keyPath,
        );
      }
      seen.set(key, keyAt);
      this.ws();
      if (this.text[this.pos] !== ':') this.fail(`${describeChar(this.text[this.pos])} after the key "${key}"; expected ":"`);
      this.pos++;
      this.ws();
      out[key] = this.value(keyPath, depth + 1);
      this.ws();
      const c = this.text[this.pos];
      if (c === '}') return (this.pos++, { ...out });
      if (c !== ',') this.fail(`${describeChar(c)}; expected "," or "}"`);
      this.pos++;
      this.ws();
    }
  }

  array(path: string, depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.ws();
    if (this.text[this.pos] === ']') return (this.pos++, out);
    for (;;) {
      if (this.text[this.pos] === ']') this.fail('a trailing comma before "]"; expected another value after a comma');
      out.push(this.value(`${path}[${out.length}]`, depth + 1));
      this.ws();
      const c = this.text[this.pos];
      if (c === ']') return (this.pos++, out);
      if (c !== ',') this.fail(`${describeChar(c)}; expected "," or "]"`);
      this.pos++;
      this.ws();
    }
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('a string that never ends; expected a closing double quote', start);
      if (c === '"') return (this.pos++, out);
      if (c < ' ')
        this.fail(
          `a control character (U+${c.charCodeAt(0).toString(16).padStart(4, '0')}) inside a string; expected it escaped (\\n, \\t, ...)`,
        );
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else this.fail(`an invalid escape "\\${e ?? ''}" in a string; expected \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX`);
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) this.fail(`${describeChar(this.text[this.pos])}; expected a number such as 2, 0.5 or -1`);
    const n = Number(m[0]);
    if (!Number.isFinite(n)) this.fail(`the number ${m[0].slice(0, 30)} is too large; expected a finite number`);
    const next = this.text[this.pos + m[0].length];
    if (next !== undefined && /[\w.]/.test(next))
      this.fail(`${describeChar(next)} inside the number ${m[0]}; expected a plain decimal number`, this.pos + m[0].length);
    this.pos += m[0].length;
    return n;
  }
}
