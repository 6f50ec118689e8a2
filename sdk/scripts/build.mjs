// The games' H5 pages: each games/<package>/page/ (body.html + main.ts) bundled with esbuild
// into dist/pages/<game>/ (index.html, the body in the one page head), where the local stack
// serves it as /<game>/page/, with the campaign's rules.html and verify.html (src/trust/). And the console's two scripts (src/console/: the web console, the
// report's charts with Chart.js), bundled into plugins/console/assets/ where the console reads
// them to inline in its pages: package data of the Lambda artifact (infra/deploy/build.py).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const sdk = join(dirname(fileURLToPath(import.meta.url)), "..");
const gamesDir = join(sdk, "..", "games");
const out = join(sdk, "dist", "pages");
const assets = join(sdk, "..", "plugins", "console", "assets");
const head = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
  <link rel="icon" href="data:,">
  <title>营销游戏</title>
</head>
<body>
`;
// Every file is written whole then renamed over the old one: a local stack (or a test) serving
// these files while another build runs never reads half a file or finds none.
const atomically = (path, contents) => {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
};
const bundled = async (options) => {
  const result = await build({ ...options, write: false, logLevel: "warning" });
  for (const file of result.outputFiles) atomically(file.path, file.contents);
};
const pages = new Set(readdirSync(gamesDir).filter((pkg) => existsSync(join(gamesDir, pkg, "page", "main.ts")))
  .map((pkg) => pkg.replaceAll("_", "-")));
for (const stale of existsSync(out) ? readdirSync(out).filter((name) => !pages.has(name)) : []) {
  rmSync(join(out, stale), { recursive: true, force: true }); // a game that no longer has a page
}
const html = (body, script) => `${head}${body}<script type="module" src="${script}"></script>
</body>
</html>
`;
// The campaign's pages that are no game's own (src/trust/: its rules and disclosure, a draw's
// verification), bundled once and put beside every game's page, so a game page links them as
// rules.html and verify.html on its own origin.
const trustDir = join(sdk, "src", "trust");
const trust = [];
for (const name of ["rules", "verify"]) {
  const result = await build({ entryPoints: [join(trustDir, `${name}.ts`)], bundle: true, format: "esm",
                               target: "es2020", minify: true, write: false, logLevel: "warning",
                               outfile: join(out, `${name}.js`) });
  trust.push([`${name}.js`, result.outputFiles[0].contents],
             [`${name}.html`, html(readFileSync(join(trustDir, `${name}.html`), "utf8"), `${name}.js`)]);
}
for (const pkg of readdirSync(gamesDir).sort()) {
  const page = join(gamesDir, pkg, "page");
  if (!existsSync(join(page, "main.ts"))) continue;
  const target = join(out, pkg.replaceAll("_", "-"));
  mkdirSync(target, { recursive: true });
  await bundled({ entryPoints: [join(page, "main.ts")], bundle: true, format: "esm", target: "es2020",
                  minify: true, sourcemap: true, outfile: join(target, "main.js") });
  atomically(join(target, "index.html"), html(readFileSync(join(page, "body.html"), "utf8"), "main.js"));
  for (const [name, contents] of trust) atomically(join(target, name), contents);
  console.log(`page ${pkg.replaceAll("_", "-")} -> ${target}`);
}
mkdirSync(assets, { recursive: true });
for (const [entry, name] of [["app.ts", "console.js"], ["report.ts", "report.js"]]) {
  await bundled({ entryPoints: [join(sdk, "src", "console", entry)], bundle: true, format: "iife",
                  target: "es2020", minify: true, outfile: join(assets, name) });
  console.log(`console ${name} -> ${join(assets, name)}`);
}
