/**
 * The statements of a SQL file, in order, for drivers that run one statement per call (SQLite's).
 * A `;` ends a statement unless it stands in a quoted string or identifier, a `--` comment or a
 * `/* … *\/` comment; pieces that hold only comments and blanks are dropped. `file` names the
 * source in errors.
 */
export function splitStatements(text: string, file: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let code = false; // whether the current piece holds anything but comments and blanks
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "-" && text[i + 1] === "-") {
      i = endOf(text, "\n", i + 2, file, "a -- comment", true);
    } else if (c === "/" && text[i + 1] === "*") {
      i = endOf(text, "*/", i + 2, file, "a /* comment") + 1;
    } else if (c === "'" || c === '"') {
      i = endOf(text, c, i + 1, file, c === "'" ? "a string" : "a quoted name");
      code = true;
    } else if (c === ";") {
      if (code) statements.push(text.slice(start, i).trim());
      start = i + 1;
      code = false;
    } else if (!/\s/.test(c)) {
      code = true;
    }
  }
  if (code) statements.push(text.slice(start).trim());
  if (statements.length === 0) throw new Error(`migration ${file} holds no SQL statement`);
  return statements;
}

/**
 * The index where `close` starts, searching from `from`; a quote doubled inside its string
 * (`'it''s'`) does not close it. A line comment may end the file instead of a newline.
 */
function endOf(text: string, close: string, from: number, file: string, what: string, endOfFileCloses = false): number {
  for (let at = text.indexOf(close, from); at !== -1; at = text.indexOf(close, at + 2)) {
    if ((close === "'" || close === '"') && text[at + 1] === close) continue;
    return at;
  }
  if (endOfFileCloses) return text.length;
  throw new Error(`migration ${file}: ${what} is never closed`);
}
