// The games' H5 pages: each games/<package>/page/ (index.html + main.ts) bundled with esbuild
// into dist/pages/<game>/, where the local stack serves it as /<game>/page/.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const sdk = join(dirname(fileURLToPath(import.meta.url)), "..");
const gamesDir = join(sdk, "..", "games");
const out = join(sdk, "dist", "pages");
rmSync(out, { recursive: true, force: true });
for (const pkg of readdirSync(gamesDir).sort()) {
  const page = join(gamesDir, pkg, "page");
  if (!existsSync(join(page, "main.ts"))) continue;
  const target = join(out, pkg.replaceAll("_", "-"));
  mkdirSync(target, { recursive: true });
  await build({ entryPoints: [join(page, "main.ts")], bundle: true, format: "esm", target: "es2020",
                minify: true, sourcemap: true, outfile: join(target, "main.js"), logLevel: "warning" });
  copyFileSync(join(page, "index.html"), join(target, "index.html"));
  console.log(`page ${pkg.replaceAll("_", "-")} -> ${target}`);
}
