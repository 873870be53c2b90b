// The interface spells “e-mail” as the lessons do (decision 022). Reads every module under app/
// and looks at the text a person sees: JSX text, and string or template text that reads as a
// phrase (it has a space), such as a label, a message or a mail's subject and body. Identifiers,
// field names and `type="email"` are single words and are left alone.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { misspelledEmail } from "~/features/content/rules/email-spelling";

/** Every “email” in text a person reads in this module's source, as “line: text”. */
function interfaceMisspellings(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const check = (node: ts.Node, value: string) => {
    if (misspelledEmail(value))
      found.push(`${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${value.trim()}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) check(node, node.text);
    else if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) &&
      /\s/.test(node.text.trim()) &&
      !ts.isImportDeclaration(node.parent)
    )
      check(node, node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    // SCIM's messages are read by identity providers' programs and name RFC 7643's attributes
    // (`emails`, `emails[type eq "work"].value`) as the standard spells them.
    if (entry.isDirectory())
      return entry.name === "+types" || full.endsWith(path.join("features", "scim")) ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

describe("the interface spells it “e-mail”", () => {
  it("finds “email” in what a person reads, and not in code", () => {
    const source = `
      const field = z.object({ email: emailField });
      export const Label = () => <label htmlFor="email">Your email</label>;
      const subject = \`Check your email, \${name}\`;
      const fine = <input type="email" name="email" autoComplete="email" aria-label="E-mail address" />;
    `;
    expect(interfaceMisspellings("probe.tsx", source)).toEqual(["3: Your email", "4: Check your email,"]);
  });

  it("in every route, component and mail under app/", () => {
    const found = sourceFiles(path.resolve("app")).flatMap((file) =>
      interfaceMisspellings(file, fs.readFileSync(file, "utf8")).map((hit) => `${path.relative(".", file)}:${hit}`),
    );
    expect(found).toEqual([]);
  });
});
